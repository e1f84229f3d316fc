/**
 * The mails Switchboard sends, each as plain text and HTML. Every value is HTML-escaped in the HTML part;
 * branding values are used only when they are what they claim (a #hex colour, an https:// logo URL).
 * Services pick a template through `queueEmail` (packages/trpc/src/lib/mail.ts) and never build mail bodies.
 */
export type MailMessage =
  | { template: "verify-email"; to: string; name: string; link: string }
  | { template: "password-reset"; to: string; name: string; link: string }
  | {
      template: "invitation";
      to: string;
      tenantName: string;
      role: string;
      inviterName: string | null;
      link: string;
      expiresAt: Date;
      branding: { primaryColor?: string; logoUrl?: string; displayName?: string };
    }
  | {
      /** The customer's satisfaction survey after a resolved conversation (the link works once). */
      template: "csat-survey";
      to: string;
      tenantName: string;
      /** The conversation's subject, when it has one. */
      subject: string | null;
      link: string;
      branding: { primaryColor?: string; logoUrl?: string; displayName?: string };
    }
  | {
      /** To the tenant's owners and admins: a data export is ready to download (Settings → Data). */
      template: "export-ready";
      to: string;
      tenantName: string;
      kinds: readonly string[];
      rows: number;
      /** When the file is removed. */
      expiresAt: Date;
      /** The dashboard's data page on the tenant's host (a download needs a signed-in admin). */
      link: string;
    }
  | {
      /** To the tenant's owners and admins: a webhook endpoint failed for days and was switched off. */
      template: "webhook-disabled";
      to: string;
      tenantName: string;
      /** The endpoint's URL. */
      url: string;
      failingSince: Date;
      /** The dashboard's webhooks page on the tenant's host. */
      link: string;
    }
  | {
      /** To the tenant's owners: it was archived; its data is deleted for good after `purgeAfter` (tenant.archive). */
      template: "tenant-archived";
      to: string;
      tenantName: string;
      archivedBy: string;
      purgeAfter: Date;
      /** The tenant's dashboard (it shows that the tenant is archived). */
      link: string;
    };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const defaultColor = "#4f46e5";

const htmlEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => htmlEntities[c]!);
}

const safeColor = (c: string | undefined) => (c && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(c) ? c : defaultColor);

function safeLogo(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

const dateText = (d: Date) => d.toUTCString().replace(/:\d\d GMT$/, " UTC");

interface Layout {
  heading: string;
  /** Paragraphs of plain text (escaped for the HTML part). */
  paragraphs: string[];
  action: { label: string; link: string };
  footer: string;
  color?: string;
  brandName?: string;
  logoUrl?: string | null;
}

function layout(l: Layout): { text: string; html: string } {
  const text = [l.heading, "", ...l.paragraphs.flatMap((p) => [p, ""]), `${l.action.label}: ${l.action.link}`, "", l.footer, ""].join("\n");
  const color = safeColor(l.color);
  const brand = l.brandName ?? "Switchboard";
  const logo = l.logoUrl ? `<img src="${escapeHtml(l.logoUrl)}" alt="${escapeHtml(brand)}" height="40" style="display:block;margin:0 0 16px">` : "";
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(l.heading)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#18181b">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0"><tr><td align="center">
<table role="presentation" width="560" cellspacing="0" cellpadding="0" style="max-width:560px;background:#ffffff;border-radius:8px;border-top:4px solid ${color}">
<tr><td style="padding:32px">
${logo}<p style="margin:0 0 8px;font-size:13px;color:#71717a">${escapeHtml(brand)}</p>
<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(l.heading)}</h1>
${l.paragraphs.map((p) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(p)}</p>`).join("\n")}
<p style="margin:24px 0"><a href="${escapeHtml(l.action.link)}" style="display:inline-block;padding:12px 20px;background:${color};color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">${escapeHtml(l.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#71717a;word-break:break-all">${escapeHtml(l.action.link)}</p>
<p style="margin:0;font-size:13px;color:#71717a">${escapeHtml(l.footer)}</p>
</td></tr></table>
</td></tr></table>
</body></html>
`;
  return { text, html };
}

export function renderMail(mail: MailMessage): RenderedMail {
  switch (mail.template) {
    case "verify-email":
      return {
        subject: "Confirm your e-mail address for Switchboard",
        ...layout({
          heading: "Confirm your e-mail address",
          paragraphs: [`Hello ${mail.name},`, "Confirm that this address is yours to finish setting up your Switchboard account. The link works once, within 24 hours."],
          action: { label: "Confirm my address", link: mail.link },
          footer: "If you did not create a Switchboard account, ignore this mail: nothing happens without the link.",
        }),
      };
    case "password-reset":
      return {
        subject: "Reset your Switchboard password",
        ...layout({
          heading: "Reset your password",
          paragraphs: [
            `Hello ${mail.name},`,
            "Someone (hopefully you) asked to reset the password of your Switchboard account. The link works once, within 1 hour. Resetting signs you out everywhere.",
          ],
          action: { label: "Choose a new password", link: mail.link },
          footer: "If you did not ask for this, ignore this mail: your password stays as it is.",
        }),
      };
    case "invitation": {
      const brand = mail.branding.displayName?.trim() || mail.tenantName;
      const who = mail.inviterName ? `${mail.inviterName} invited you` : "You are invited";
      return {
        subject: `You are invited to ${brand} on Switchboard`,
        ...layout({
          heading: `Join ${brand}`,
          paragraphs: [`${who} to join ${brand} on Switchboard as ${mail.role}.`, `The invitation is valid until ${dateText(mail.expiresAt)}.`],
          action: { label: "Accept the invitation", link: mail.link },
          footer: "If you were not expecting this invitation, ignore this mail.",
          color: mail.branding.primaryColor,
          brandName: brand,
          logoUrl: safeLogo(mail.branding.logoUrl),
        }),
      };
    }
    case "csat-survey": {
      const brand = mail.branding.displayName?.trim() || mail.tenantName;
      const about = mail.subject ? `your conversation with ${brand} about "${mail.subject}"` : `your conversation with ${brand}`;
      return {
        subject: `How did we do? Rate ${mail.subject ? `"${mail.subject}"` : `your conversation with ${brand}`}`,
        ...layout({
          heading: "How did we do?",
          paragraphs: [`Thank you for contacting ${brand}. We have marked ${about} as resolved.`, "Tell us how it went: one click, an optional comment, no sign-in."],
          action: { label: "Rate the conversation", link: mail.link },
          footer: `You receive this mail because you wrote to ${brand}. The link works once.`,
          color: mail.branding.primaryColor,
          brandName: brand,
          logoUrl: safeLogo(mail.branding.logoUrl),
        }),
      };
    }
    case "export-ready":
      return {
        subject: `Your export of ${mail.tenantName} is ready`,
        ...layout({
          heading: "Your data export is ready",
          paragraphs: [
            `The export of ${mail.kinds.join(", ")} (${mail.rows.toLocaleString("en-US")} rows) for ${mail.tenantName} is ready to download.`,
            `Download it from Settings → Data until ${dateText(mail.expiresAt)}; the file is removed after that.`,
          ],
          action: { label: "Open Settings → Data", link: mail.link },
          footer: `You receive this mail as an owner or admin of ${mail.tenantName}.`,
        }),
      };
    case "webhook-disabled":
      return {
        subject: `A webhook of ${mail.tenantName} was disabled`,
        ...layout({
          heading: "A webhook endpoint was disabled",
          paragraphs: [
            `Deliveries to ${mail.url} have failed since ${dateText(mail.failingSince)}, so Switchboard stopped sending events to it.`,
            "Fix the receiver, then enable the endpoint again in the dashboard. Failed deliveries can be sent again from its delivery log (redeliver).",
          ],
          action: { label: "Open the webhooks", link: mail.link },
          footer: `You receive this mail as an owner or admin of ${mail.tenantName}.`,
        }),
      };
    case "tenant-archived":
      return {
        subject: `${mail.tenantName} was archived: its data will be deleted after ${dateText(mail.purgeAfter)}`,
        ...layout({
          heading: `${mail.tenantName} was archived`,
          paragraphs: [
            `${mail.archivedBy} archived ${mail.tenantName} on Switchboard. Nobody can sign in to it or use its API keys any more.`,
            `Its data (calls, conversations, contacts, leads, members, audit log) will be deleted for good after ${dateText(mail.purgeAfter)}. Until then the platform's support can restore it unchanged: contact them if this was a mistake.`,
          ],
          action: { label: "Open the tenant", link: mail.link },
          footer: `You receive this mail as an owner of ${mail.tenantName}.`,
        }),
      };
  }
}
