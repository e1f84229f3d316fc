import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, heading, nav, port, signIn, signOut, signUp, unique, url, useBrowser, DEMO_PASSWORD } from "./browser";
import { countMail, linkIn, waitForMail } from "./mail";

describeInBrowser("e-mail verification", () => {
  const page = useBrowser();

  it("a new user reads the verification mail, verifies, and accepts an invitation from the tenant picker", async () => {
    const p = page();
    const email = `${unique("verify")}@example.test`;

    // An admin of Acme invites the address before it has an account.
    await p.goto(url("acme", "/sign-in"));
    await signIn(p, "owner@acme.test", DEMO_PASSWORD);
    await heading(p, "Acme Corporation");
    await nav(p, "Members");
    await p.getByRole("button", { name: "Invite member" }).click();
    const invite = p.getByRole("form", { name: "Invite member" });
    await invite.getByLabel("Email").fill(email);
    await invite.getByLabel("Role").selectOption("agent");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await p.getByRole("status").filter({ hasText: `We emailed an invitation to ${email}` }).waitFor();
    await signOut(p);
    await p.waitForURL((u) => u.pathname === "/sign-in");

    // The newcomer signs up on the bare domain: a banner asks to verify, invitations wait for it.
    await p.goto(url(null, "/sign-up"));
    await signUp(p, { name: "Vera Verified", email, password: "a long enough password" });
    const banner = p.getByRole("region", { name: "Verify your email" });
    await banner.getByText(email).waitFor();
    await p.getByText("Verify your email address to see the invitations sent to it").waitFor();
    expect(await p.getByRole("button", { name: /^Accept invitation to/ }).count()).toBe(0);
    await expectAccessible(p, "tenant picker with the verify banner");

    // Resend: a second verification mail arrives.
    const first = await waitForMail(email, /confirm your e-mail/i);
    await banner.getByRole("button", { name: "Resend the link" }).click();
    await banner.getByRole("status").filter({ hasText: "Sent" }).waitFor();
    const second = await waitForMail(email, /confirm your e-mail/i, 2);
    expect(await countMail(email, /confirm your e-mail/i)).toBe(2);
    expect(second.text).not.toBe(first.text);

    // The mailed link opens this dashboard, verifies once, and the banner is gone.
    const link = linkIn(second, "/verify-email");
    expect(new URL(link).host).toBe(`localhost:${port}`);
    await p.goto(link);
    await p.getByRole("status").filter({ hasText: "Your email address is verified." }).waitFor();
    await expectAccessible(p, "email verified");
    await p.getByRole("link", { name: "Continue to Switchboard" }).click();
    await p.getByRole("list", { name: "Tenants" }).or(p.getByText("You are not a member of any tenant yet")).first().waitFor();
    expect(await p.getByRole("region", { name: "Verify your email" }).count()).toBe(0);

    // The same link again is refused (single use).
    await p.goto(link);
    await p.getByRole("alert").filter({ hasText: "Could not verify your address" }).waitFor();

    // The invitation is now listed; accepting it opens the tenant as a member.
    await p.goto(url(null, "/"));
    await p.getByRole("button", { name: "Accept invitation to Acme Corporation" }).click();
    await p.waitForURL((u) => u.hostname === "acme.localhost" && u.pathname === "/");
    await heading(p, "Acme Corporation");
    await nav(p, "Members");
    const row = p.getByRole("table", { name: "Members" }).getByRole("row").filter({ hasText: email });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/agent/i);
  });
});
