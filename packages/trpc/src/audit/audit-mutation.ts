/**
 * A mutation's `success` record, written in the procedure's transaction (it commits or rolls back with it). The
 * procedure may name the changed entity in `ctx.audit` (audit/resource-id).
 */
import type { Tx } from "@switchboard/db";
import { recordAudit } from "../routers/audit/audit.service";
import type { TenantLedger } from "../tenancy/ledger";
import type { Context } from "../context";
import { middlewareOn } from "../trpc";
import { auditEntry } from "./audit-entry";

export const auditMutation = middlewareOn<Pick<Context, "request"> & { ledger: TenantLedger; tx: Tx }>()(
  async function auditMutation(call) {
    const { ctx, type, next } = call;
    const { ledger } = ctx;
    const result = await next({ ctx: { audit: ledger.note } });
    if (result.ok && type === "mutation" && ledger.seen) {
      await recordAudit(
        ctx.tx,
        auditEntry(call, ledger.seen, "success", result.data, await call.getRawInput()),
      );
    }
    return result;
  },
);
