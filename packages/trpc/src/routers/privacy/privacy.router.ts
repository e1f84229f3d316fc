import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAccessProcedure, tenantOwnerAccessProcedure } from "../../procedures";
import { seenScope } from "../../tenancy/ledger";
import { batchTransactions } from "./batch-transactions";
import { eraseContactInput, findContactInput } from "./privacy.input";
import { eraseContact, findContact, requireContact } from "./privacy.service";

export const privacyRouter = {
  /** A person's contact by e-mail or phone, and how many rows an erasure would anonymise (admins; people only). */
  findContact: tenantAccessProcedure.input(findContactInput).query(({ ctx, input }) => findContact(ctx.tx, input)),

  /**
   * Erases a customer, irreversibly (owners; people only). The batches commit in transactions of their own
   * (batch-transactions.ts), which is why this reads the request's pool from the ledger; the audit record, naming
   * the contact and the counts, commits with the procedure's transaction.
   */
  eraseContact: tenantOwnerAccessProcedure
    .meta({ audit: { resourceType: "contact" } })
    .input(eraseContactInput)
    .mutation(async ({ ctx, input }) => {
      await requireContact(ctx.tx, input.contactId);
      ctx.audit.resourceId = input.contactId;
      const inTransaction = batchTransactions(ctx.ledger.db, seenScope(ctx.ledger.seen!), ctx.tx);
      const erased = await eraseContact(inTransaction, ctx.tenant.id, input.contactId);
      ctx.audit.details = { ...erased };
      return { erased };
    }),
} satisfies TRPCRouterRecord;
