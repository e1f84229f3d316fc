/**
 * Outgoing mail as the services see it: `queueEmail(tx, tenantId, mail)` renders a template, writes it to the
 * outbox and enqueues its `mail.send` job, all in the caller's transaction (a rollback sends nothing, a commit
 * always sends, once). Sending, templates and redaction after sending live in @switchboard/jobs; services never
 * talk SMTP. `tenantId` is null for account mail (verification, password reset), queued outside any tenant
 * scope; tenant mail (invitations) is queued and later sent inside its tenant's scope.
 */
import { emailOutbox, type Tx } from "@switchboard/db";
import { enqueue, type MailMessage, renderMail } from "@switchboard/jobs";

export type { MailMessage };

export async function queueEmail(tx: Tx, tenantId: string | null, mail: MailMessage): Promise<{ id: string }> {
  const r = renderMail(mail);
  const [row] = await tx
    .insert(emailOutbox)
    .values({ tenantId, kind: mail.template, to: mail.to, subject: r.subject, body: r.text, html: r.html })
    .returning({ id: emailOutbox.id });
  await enqueue(tx, "mail.send", { outboxId: row!.id, tenantId });
  return row!;
}
