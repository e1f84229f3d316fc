/**
 * What the signed-in user may do in the current tenant, for showing or hiding controls. The API enforces the
 * same matrix (CONTRACT.md "Roles"); this only keeps people from meeting buttons that would be refused.
 */
import { useQuery } from "@tanstack/react-query";
import { currentHost } from "./host";
import { enumValues } from "./enums";
import { type RouterOutputs, useTRPC } from "./trpc";

export type Role = RouterOutputs["auth"]["me"]["memberships"][number]["role"];

const rank: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 };

/** Every role, highest first. */
export const roles: readonly Role[] = enumValues(rank).sort((a, b) => rank[b] - rank[a]);

export interface Permissions {
  role: Role | null;
  /** Calls, leads, engagements. */
  canWrite: boolean;
  /** AI agent configurations. */
  canManageAgents: boolean;
  /** Members, invitations, API keys, settings, branding, features, sub-tenants, audit log. */
  canAdmin: boolean;
  /** Owners: archive, the owner role. (Plans and seats are the platform's.) */
  isOwner: boolean;
}

export function permissions(role: Role | null): Permissions {
  const r = role ? rank[role] : -1;
  return { role, canWrite: r >= rank.agent, canManageAgents: r >= rank.admin, canAdmin: r >= rank.admin, isOwner: r >= rank.owner };
}

interface TenantRole {
  slug: string;
  role: Role;
}

/**
 * The role in the tenant at `slug`: from tenants.list (which includes departments reached through a parent
 * membership), else from a direct membership, else null (no access: show nothing writable).
 */
export function roleFor(
  slug: string | null,
  tenants: readonly TenantRole[] | undefined,
  memberships: readonly { tenant: { slug: string }; role: Role }[] | undefined,
): Role | null {
  if (!slug) return null;
  return tenants?.find((t) => t.slug === slug)?.role ?? memberships?.find((m) => m.tenant.slug === slug)?.role ?? null;
}

/** The current user's permissions on this page's tenant; `loading` until the role is known. */
export function usePermissions(): Permissions & { loading: boolean } {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const tenants = useQuery({ ...trpc.tenants.list.queryOptions(), enabled: currentHost.tenantSlug !== null });
  const role = roleFor(currentHost.tenantSlug, tenants.data?.items, me.data?.memberships);
  return { ...permissions(role), loading: tenants.isPending && !role };
}
