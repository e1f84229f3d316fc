/** One audit record of a tenant procedure's call, as both audit steps write it (success and denied). */
import type { RequestInfo } from "../context";
import type { AuditRecord } from "../routers/audit/audit.service";
import { actorOf } from "../tenancy/caller";
import type { TenantLedger } from "../tenancy/ledger";
import type { Meta } from "../trpc";
import { resourceIdOf } from "./resource-id";

/** What the audit steps receive from tRPC (their options) that a record is made of. */
export interface AuditedCall {
  path: string;
  meta: Meta | undefined;
  ctx: { request: RequestInfo; ledger: TenantLedger };
}

/**
 * The action is the procedure's path; the resource type is what its `audit` meta names, else the path's domain.
 * `seen` is who called in which tenant (the ledger's, once admission knew the tenant).
 */
export function auditEntry(
  call: AuditedCall,
  seen: NonNullable<TenantLedger["seen"]>,
  result: "success" | "denied",
  data: unknown,
  input: unknown,
  reason: string | null = null,
): AuditRecord {
  return {
    tenantId: seen.tenant.id,
    actor: actorOf(seen.key, seen.user),
    action: call.path,
    resourceType: call.meta?.audit?.resourceType ?? call.path.split(".")[0]!,
    resourceId: resourceIdOf(call.ctx.ledger.note, data, input),
    ip: call.ctx.request.ip,
    userAgent: call.ctx.request.userAgent,
    result,
    reason,
    details: call.ctx.ledger.note.details ?? null,
  };
}
