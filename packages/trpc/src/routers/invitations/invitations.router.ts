import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure, tenantAdminProcedure } from "../../trpc";
import { acceptInvitationInput, listInvitationsInput, revokeInvitationInput } from "./invitations.input";
import { acceptInvitation, listInvitations, revokeInvitation } from "./invitations.service";

export const invitationsRouter = {
  list: tenantAdminProcedure
    .input(listInvitationsInput)
    .query(({ ctx, input }) => listInvitations(ctx.tx, ctx.tenant.id, input)),

  revoke: tenantAdminProcedure
    .meta({ audit: { resourceType: "invitation" } })
    .input(revokeInvitationInput)
    .mutation(({ ctx, input }) => revokeInvitation(ctx.tx, ctx.tenant.id, input, ctx.role)),

  /** Signed in, on any host: the token names the tenant. */
  accept: authedProcedure
    .input(acceptInvitationInput)
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, ctx.user, input.token, ctx.request)),
} satisfies TRPCRouterRecord;
