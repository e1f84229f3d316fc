/**
 * Mail from a job to a tenant's owners and admins (a webhook switched off, an export ready): one mail each, rendered
 * from a template and queued in the caller's transaction (its `mail.send` job commits with it), in the tenant's scope.
 */
import { and, eq, inArray } from "drizzle-orm";
import { emailOutbox, memberships, tenants, type Tx, users } from "@switchboard/db";
import { enqueue } from "../enqueue";
import { type MailMessage, renderMail } from "./templates";

export async function mailTenantAdmins(
  tx: Tx,
  tenantId: string,
  mailTo: (to: string, tenant: { slug: string; name: string }) => MailMessage,
): Promise<number> {
  const [tenant] = await tx.select({ slug: tenants.slug, name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  const admins = await tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.role, ["owner", "admin"])));
  for (const admin of admins) {
    const message = mailTo(admin.email, tenant ?? { slug: "", name: "your organisation" });
    const mail = renderMail(message);
    const [outbox] = await tx
      .insert(emailOutbox)
      .values({ tenantId, kind: message.template, to: admin.email, subject: mail.subject, body: mail.text, html: mail.html })
      .returning({ id: emailOutbox.id });
    await enqueue(tx, "mail.send", { outboxId: outbox!.id, tenantId });
  }
  return admins.length;
}
