import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAdminProcedure, tenantAgentProcedure, tenantProcedure } from "../../procedures";
import { contactIdInput, createContactInput, listContactsInput, mergeContactsInput, updateContactInput } from "./contacts.input";
import { createContact, getContact, listContacts, mergeContacts, updateContact } from "./contacts.service";

const audit = { audit: { resourceType: "contact" } };

export const contactsRouter = {
  list: tenantProcedure.input(listContactsInput).query(({ ctx, input }) => listContacts(ctx.tx, ctx.tenant.id, input)),
  get: tenantProcedure.input(contactIdInput).query(({ ctx, input }) => getContact(ctx.tx, input.id)),
  create: tenantAgentProcedure
    .meta(audit)
    .input(createContactInput)
    .mutation(({ ctx, input }) => createContact(ctx.tx, ctx.tenant.id, input)),
  update: tenantAgentProcedure
    .meta(audit)
    .input(updateContactInput)
    .mutation(({ ctx, input }) => updateContact(ctx.tx, ctx.tenant.id, input)),
  /** Audited under the merged (deleted) contact's id; the result is the contact it went into, with the counts moved. */
  merge: tenantAdminProcedure
    .meta(audit)
    .input(mergeContactsInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.resourceId = input.id;
      return mergeContacts(ctx.tx, ctx.tenant.id, input);
    }),
} satisfies TRPCRouterRecord;
