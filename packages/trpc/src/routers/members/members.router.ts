import type { TRPCRouterRecord } from "@trpc/server";
import { tenantUrl } from "../../lib/urls";
import { tenantAccessProcedure, tenantPersonProcedure, tenantProcedure } from "../../procedures";
import { addMemberInput, listMembersInput, removeMemberInput, updateRoleInput } from "./members.input";
import { addMember, leaveTenant, listMembers, removeMember, updateMemberRole } from "./members.service";

const audit = { audit: { resourceType: "member" } };

export const membersRouter = {
  list: tenantProcedure.input(listMembersInput).query(({ ctx, input }) => listMembers(ctx.tx, ctx.tenant.id, input)),

  /** Invites `email` (people only): the same answer for every address; the person accepts to become a member. */
  add: tenantAccessProcedure
    .meta({ audit: { resourceType: "invitation" } })
    .input(addMemberInput)
    .mutation(async ({ ctx, input }) => {
      const result = await addMember(ctx.tx, ctx.tenant, input, {
        callerRole: ctx.role,
        inviter: { id: ctx.user.id, name: ctx.user.name },
        acceptUrl: (token) => tenantUrl(ctx, ctx.tenant.slug, `/invitations/accept?token=${encodeURIComponent(token)}`),
      });
      ctx.audit.resourceId = result.invitation.id;
      return result;
    }),

  updateRole: tenantAccessProcedure
    .meta(audit)
    .input(updateRoleInput)
    .mutation(({ ctx, input }) => updateMemberRole(ctx.tx, ctx.tenant.id, input, ctx.role)),

  /** Ends the person's membership here and in this organisation's departments. */
  remove: tenantAccessProcedure
    .meta(audit)
    .input(removeMemberInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.resourceId = await removeMember(ctx.tx, ctx.tenant, input, ctx.role);
      return { ok: true as const };
    }),

  /** The caller leaves the current tenant, and its departments (any role; the last owner cannot). */
  leave: tenantPersonProcedure.meta(audit).mutation(async ({ ctx }) => {
    ctx.audit.resourceId = ctx.user.id;
    await leaveTenant(ctx.tx, ctx.tenant, ctx.user.id);
    return { ok: true as const };
  }),
} satisfies TRPCRouterRecord;
