// Mail templates and the redaction applied to sent mail (pure functions).
import { describe, expect, it } from "vitest";
import { redactLinks } from "../src/mail/redact";
import { renderMail } from "../src/mail/templates";

const token = "Zq3v_9xYtR2mK8pLw4nB7cD1eF6gH0jA5sU-oI2qWeR";

describe("renderMail", () => {
  it("renders verify-email and password-reset as text and HTML carrying the link", () => {
    for (const template of ["verify-email", "password-reset"] as const) {
      const link = `http://localhost:3000/${template}?token=${token}`;
      const r = renderMail({ template, to: "a@x.test", name: "Ada", link });
      expect(r.subject).toMatch(/Switchboard/);
      expect(r.text).toContain(link);
      expect(r.text).toContain("Hello Ada,");
      expect(r.html).toContain(`href="${link}"`);
    }
  });

  it("escapes every value in the HTML part", () => {
    const r = renderMail({ template: "verify-email", to: "a@x.test", name: `<script>alert("x")</script>`, link: `http://x.test/?a=1&b="2"` });
    expect(r.html).not.toContain("<script>");
    expect(r.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(r.html).toContain(`href="http://x.test/?a=1&amp;b=&quot;2&quot;"`);
  });

  it("carries the tenant's branding in invitations, and ignores branding that is not what it claims", () => {
    const base = {
      template: "invitation" as const,
      to: "new@acme.test",
      tenantName: "Acme",
      role: "agent",
      inviterName: "Olivia",
      link: `http://acme.localhost:3000/invitations/accept?token=${token}`,
      expiresAt: new Date("2030-01-02T03:04:05Z"),
    };
    const branded = renderMail({ ...base, branding: { displayName: "Acme Care", primaryColor: "#ff5500", logoUrl: "https://cdn.acme.test/logo.png" } });
    expect(branded.subject).toBe("You are invited to Acme Care on Switchboard");
    expect(branded.text).toContain("Olivia invited you to join Acme Care on Switchboard as agent.");
    expect(branded.text).toContain("Wed, 02 Jan 2030 03:04 UTC");
    expect(branded.html).toContain("#ff5500");
    expect(branded.html).toContain(`<img src="https://cdn.acme.test/logo.png" alt="Acme Care"`);

    const hostile = renderMail({ ...base, branding: { primaryColor: "red;background:url(x)", logoUrl: "javascript:alert(1)", displayName: "<b>Evil</b>" } });
    expect(hostile.html).not.toContain("red;background");
    expect(hostile.html).not.toContain("javascript:");
    expect(hostile.html).not.toContain("<img");
    expect(hostile.html).not.toContain("<b>Evil</b>");
    expect(hostile.subject).toBe("You are invited to <b>Evil</b> on Switchboard");
  });
});

describe("csat-survey", () => {
  it("asks the customer in the tenant's branding, escapes the subject, and its link is redacted once sent", () => {
    const link = `http://acme.localhost:3000/csat/0b9f5c1e-4c0a-4d7e-9a51-2f1f8b7a9c11.${token}`;
    const r = renderMail({
      template: "csat-survey",
      to: "jo@customer.test",
      tenantName: "Acme",
      subject: `Refund <script>alert(1)</script>`,
      link,
      branding: { displayName: "Acme Care", primaryColor: "#ff5500", logoUrl: "https://cdn.acme.test/logo.png" },
    });
    expect(r.subject).toBe('How did we do? Rate "Refund <script>alert(1)</script>"');
    expect(r.text).toContain('We have marked your conversation with Acme Care about "Refund <script>alert(1)</script>" as resolved.');
    expect(r.text).toContain(`Rate the conversation: ${link}`);
    expect(r.html).toContain(`href="${link}"`);
    expect(r.html).toContain("#ff5500");
    expect(r.html).not.toContain("<script>");
    expect(redactLinks(r.html)).not.toContain(token);
    expect(redactLinks(r.text)).toContain("http://acme.localhost:3000/csat/[redacted]");
    const plain = renderMail({ template: "csat-survey", to: "jo@customer.test", tenantName: "Acme", subject: null, link, branding: {} });
    expect(plain.subject).toBe("How did we do? Rate your conversation with Acme");
  });
});

describe("redactLinks", () => {
  it("removes query values, fragments and token-like path segments from every link, in text and HTML", () => {
    const text = `Open http://acme.localhost:3000/invitations/accept?token=${token}&x=1 now.\nOr https://x.test/reset/${token}#${token}`;
    const redacted = redactLinks(text);
    expect(redacted).not.toContain(token);
    expect(redacted).toContain("http://acme.localhost:3000/invitations/accept?token=[redacted]&x=[redacted] now.");
    expect(redacted).toContain("https://x.test/reset/[redacted]#[redacted]");

    const html = renderMail({ template: "password-reset", to: "a@x.test", name: "Ada", link: `http://localhost:3000/reset-password?token=${token}&amp=1` }).html;
    expect(html).toContain(token);
    const safe = redactLinks(html);
    expect(safe).not.toContain(token);
    expect(safe).toContain('href="http://localhost:3000/reset-password?token=[redacted]&amp;amp=[redacted]"');
  });

  it("leaves text without links alone", () => {
    expect(redactLinks("Hello Ada,\n\nNothing to see.")).toBe("Hello Ada,\n\nNothing to see.");
  });
});
