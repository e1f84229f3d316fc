/**
 * Outgoing mail as the services see it: `queueEmail(tx, tenantId, mail)` renders a template and writes it to the
 * outbox in the caller's transaction (a rollback sends nothing, a commit always sends). Sending is the job
 * runner's (see packages/jobs); services never talk SMTP. `tenantId` is null for account mail (verification,
 * password reset), which is queued outside any tenant scope.
 */
import { emailOutbox, type Tx } from "@switchboard/db";

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
    };

interface Rendered {
  subject: string;
  text: string;
  html: string | null;
}

function render(mail: MailMessage): Rendered {
  switch (mail.template) {
    case "verify-email":
      return {
        subject: "Confirm your e-mail address for Switchboard",
        text: `Hello ${mail.name},\n\nConfirm your e-mail address within 24 hours: ${mail.link}\n`,
        html: null,
      };
    case "password-reset":
      return {
        subject: "Reset your Switchboard password",
        text: `Hello ${mail.name},\n\nReset your password within 1 hour: ${mail.link}\n\nIf you did not ask for this, ignore this mail.\n`,
        html: null,
      };
    case "invitation":
      return {
        subject: `You are invited to ${mail.branding.displayName ?? mail.tenantName} on Switchboard`,
        text: `You have been invited to join ${mail.tenantName} as ${mail.role}.\n\nAccept within 7 days: ${mail.link}\n`,
        html: null,
      };
  }
}

export async function queueEmail(tx: Tx, tenantId: string | null, mail: MailMessage): Promise<{ id: string }> {
  const r = render(mail);
  const [row] = await tx
    .insert(emailOutbox)
    .values({ tenantId, kind: mail.template, to: mail.to, subject: r.subject, body: r.text, html: r.html })
    .returning({ id: emailOutbox.id });
  return row!;
}
