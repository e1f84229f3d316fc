import type { TRPCRouterRecord } from "@trpc/server";
import { tenantUrl } from "../../lib/urls";
import { forbidden } from "../../errors";
import { tenantAdminProcedure, tenantProcedure } from "../../trpc";
import { addMemberInput, listMembersInput, removeMemberInput, updateRoleInput } from "./members.input";
import { addMember, leaveTenant, listMembers, removeMember, updateMemberRole } from "./members.service";

const audited = { audit: { resourceType: "member" } };

export const membersRouter = {
  list: tenantProcedure.input(listMembersInput).query(({ ctx, input }) => listMembers(ctx.tx, ctx.tenant.id, input)),

  add: tenantAdminProcedure
    .meta(audited)
    .input(addMemberInput)
    .mutation(async ({ ctx, input }) => {
      const result = await addMember(ctx.tx, ctx.tenant, input, {
        callerRole: ctx.role,
        invitedBy: ctx.user?.id ?? null,
        acceptUrl: (token) => tenantUrl(ctx, ctx.tenant.slug, `/invitations/accept?token=${encodeURIComponent(token)}`),
      });
      ctx.audit.resourceId = result.member?.userId ?? result.invitation?.id ?? null;
      return result;
    }),

  updateRole: tenantAdminProcedure
    .meta(audited)
    .input(updateRoleInput)
    .mutation(({ ctx, input }) => updateMemberRole(ctx.tx, ctx.tenant.id, input, ctx.role)),

  remove: tenantAdminProcedure
    .meta(audited)
    .input(removeMemberInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.resourceId = await removeMember(ctx.tx, ctx.tenant.id, input, ctx.role);
      return { ok: true as const };
    }),

  /** The caller leaves the current tenant (any role; the last owner cannot). */
  leave: tenantProcedure.meta(audited).mutation(async ({ ctx }) => {
    if (!ctx.user) throw forbidden("API keys are not members");
    ctx.audit.resourceId = ctx.user.id;
    await leaveTenant(ctx.tx, ctx.tenant.id, ctx.user.id);
    return { ok: true as const };
  }),
} satisfies TRPCRouterRecord;
