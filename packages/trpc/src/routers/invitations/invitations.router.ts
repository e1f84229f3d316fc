import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure, tenantAccessProcedure, tenantAdminProcedure } from "../../procedures";
import { acceptInvitationInput, listInvitationsInput, myInvitationsInput, revokeInvitationInput } from "./invitations.input";
import { acceptInvitation, listInvitations, listMyInvitations, revokeInvitation } from "./invitations.service";

export const invitationsRouter = {
  list: tenantAdminProcedure
    .input(listInvitationsInput)
    .query(({ ctx, input }) => listInvitations(ctx.tx, ctx.tenant.id, input)),

  revoke: tenantAccessProcedure
    .meta({ audit: { resourceType: "invitation" } })
    .input(revokeInvitationInput)
    .mutation(({ ctx, input }) => revokeInvitation(ctx.tx, ctx.tenant.id, input, ctx.role)),

  /** Signed in, on any host: pending invitations addressed to the caller's verified address. */
  mine: authedProcedure.input(myInvitationsInput).query(({ ctx, input }) => listMyInvitations(ctx.db, ctx.user.id, input)),

  /** Signed in, on any host: the token (or the invitation's id) names the tenant. */
  accept: authedProcedure
    .input(acceptInvitationInput)
    .mutation(async ({ ctx, input }) => {
      const accepted = await acceptInvitation(ctx.db, ctx.user, input, ctx.request);
      // Accepting by token may have verified the address: every replica re-reads this user's cached sessions.
      if (!ctx.user.emailVerified) await ctx.auth.userChanged(ctx.user.id);
      return accepted;
    }),
} satisfies TRPCRouterRecord;
