/**
 * Row-level security building blocks shared by every schema file. Edit here when the scope model changes
 * (new setting, new role); domain tables only call `tenantIsolation()`.
 *
 * Settings are transaction-local (`set_config(..., true)`, see with-tenant.ts). After such a transaction a pooled
 * connection reads them as '' rather than NULL, hence `nullif(...)`; the `(select ...)` wrapper makes PostgreSQL
 * evaluate them once per query instead of once per row.
 */
import { sql } from "drizzle-orm";
import { pgPolicy, pgRole } from "drizzle-orm/pg-core";

/** The role that serves requests. Created by migrations/0000_app_role.sql, never by drizzle-kit. */
export const appRole = pgRole("switchboard_app").existing();

export const currentTenantId = sql`(select nullif(current_setting('app.tenant_id', true), '')::uuid)`;
export const currentUserId = sql`(select nullif(current_setting('app.user_id', true), '')::uuid)`;
/** Set when the current tenant is a department: lets it read its organisation's row (for inheritance). */
export const currentParentTenantId = sql`(select nullif(current_setting('app.parent_tenant_id', true), '')::uuid)`;
export const currentTenantSlug = sql`(select nullif(current_setting('app.tenant_slug', true), ''))`;
/** Set only while authenticating an API key: the SHA-256 of the presented key. */
export const currentApiKeyHash = sql`(select nullif(current_setting('app.api_key_hash', true), ''))`;
/** Set only while accepting an invitation: the SHA-256 of the presented token. */
export const currentInvitationTokenHash = sql`(select nullif(current_setting('app.invitation_token_hash', true), ''))`;
/**
 * Derived from the users table, not from a setting, so app code cannot grant it by mistake. Platform-admin powers
 * need MFA (contract v2): a flagged account without it is an ordinary user here too.
 */
export const currentUserIsPlatformAdmin = sql`(select exists (select 1 from users u
  where u.id = nullif(current_setting('app.user_id', true), '')::uuid and u.is_platform_admin
    and u.mfa_enabled_at is not null))`;

/** The current user's e-mail address when verified (null otherwise); read from users, not from a setting. */
export const currentUserVerifiedEmail = sql`(select u.email from users u
  where u.id = nullif(current_setting('app.user_id', true), '')::uuid and u.email_verified_at is not null)`;

/** One policy for every command: rows are visible and writable only inside the transaction's tenant. */
export function tenantIsolation(table: string) {
  return pgPolicy(`${table} stay inside their tenant`, {
    as: "permissive",
    to: appRole,
    for: "all",
    using: sql`tenant_id = ${currentTenantId}`,
    withCheck: sql`tenant_id = ${currentTenantId}`,
  });
}
