/**
 * A refused mutation (FORBIDDEN, PRECONDITION_FAILED, NOT_FOUND: audit/refusal-code) leaves a `denied` record once
 * the tenant is known, an outsider's refusal at admission too. It is written after the procedure's transaction has
 * rolled back, in one of its own. A signed-in user refused at admission may be an outsider: their entries are
 * capped per tenant and minute (what is dropped is counted in the API's /metrics through `ctx.onAuditDenialDropped`);
 * members' and keys' refusals are always recorded.
 */
import { withScope } from "@switchboard/db";
import { recordAudit, recordOutsiderDenial } from "../routers/audit/audit.service";
import { seenScope, type TenantLedger } from "../tenancy/ledger";
import { roleIn } from "../tenancy/roles";
import type { Context } from "../context";
import { middlewareOn } from "../trpc";
import { auditEntry } from "./audit-entry";
import { refusalCode } from "./refusal-code";

export const auditRefusal = middlewareOn<
  Pick<Context, "request" | "onAuditDenialDropped"> & { ledger: TenantLedger }
>()(async function auditRefusal(call) {
  const { ctx, type, next } = call;
  const result = await next();
  const { ledger } = ctx;
  const seen = ledger.seen;
  const code = !result.ok && seen && type === "mutation" ? refusalCode(result.error) : null;
  if (!seen || !code) return result;
  const input = await call.getRawInput().catch(() => null);
  await withScope(ledger.db, seenScope(seen), async (tx) => {
    const entry = auditEntry(call, seen, "denied", null, input, code);
    const outsider =
      !ledger.admitted && !seen.key && seen.user !== null && !(await roleIn(tx, seen.tenant, seen.user.id));
    if (!outsider) await recordAudit(tx, entry);
    else if (!(await recordOutsiderDenial(tx, entry))) ctx.onAuditDenialDropped?.();
  });
  return result;
});
