/**
 * The account's security log (`auth.securityLog`): what happened to the account and from where. Written in the
 * same transaction as the change it records when there is one; append-only for the app role.
 */
import { and, eq } from "drizzle-orm";
import { type Executor, securityEvents } from "@switchboard/db";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";

export const securityEventKinds = [
  "signed_in",
  "sign_in_failed",
  "mfa_code_failed",
  "signed_out",
  "password_changed",
  "password_reset_requested",
  "password_reset",
  "email_verified",
  "mfa_enabled",
  "mfa_disabled",
  "recovery_code_used",
  "session_revoked",
  "signed_out_everywhere",
] as const;
export type SecurityEventKind = (typeof securityEventKinds)[number];

export interface Where {
  ip: string | null;
  userAgent: string | null;
}

export async function recordSecurityEvent(db: Executor, userId: string, event: SecurityEventKind, where: Where): Promise<void> {
  await db.insert(securityEvents).values({ userId, event, ip: where.ip, userAgent: where.userAgent?.slice(0, 512) ?? null });
}

const listOrder = newestFirst(securityEvents.at, securityEvents.id, (e: { at: Date; id: string }) => [e.at, e.id]);

export async function listSecurityEvents(db: Executor, userId: string, input: { limit: number; cursor?: string | undefined }) {
  const rows = await db
    .select()
    .from(securityEvents)
    .where(and(eq(securityEvents.userId, userId), afterCursor(input.cursor, listOrder)))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(
    rows,
    input.limit,
    listOrder,
    (r) => ({ at: r.at.toISOString(), event: r.event as SecurityEventKind, ip: r.ip, userAgent: r.userAgent }),
  );
}
