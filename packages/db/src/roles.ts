/**
 * Database roles at run time: the login user for the app role, and the start-up check that refuses to serve
 * requests with a role that would make RLS moot.
 */
import postgres from "postgres";

export const APP_ROLE = "switchboard_app";

/**
 * Makes sure the login user named in `appUrl` exists, can log in with that password and is a member of the
 * app role (nothing more). Idempotent; run by `pnpm db:migrate` with the owner's connection.
 */
export async function ensureAppLogin(ownerUrl: string, appUrl: string): Promise<void> {
  const app = new URL(appUrl);
  const user = decodeURIComponent(app.username);
  const password = decodeURIComponent(app.password);
  if (!user) throw new Error("DATABASE_URL has no user name");
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [me] = await owner<{ user: string }[]>`select current_user as user`;
    if (me?.user === user) throw new Error("DATABASE_URL must not use the owner role");
    const [exists] = await owner`select 1 from pg_roles where rolname = ${user}`;
    // DDL takes no bind parameters: format() quotes the identifier and the literal server-side.
    const verb = exists ? "ALTER" : "CREATE";
    const [stmt] = await owner<{ q: string }[]>`select format(
      '%s ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT PASSWORD %L',
      ${verb}::text, ${user}::text, ${password}::text) as q`;
    await owner.unsafe(stmt!.q);
    const [grant] = await owner<{ q: string }[]>`select format('GRANT %I TO %I', ${APP_ROLE}::text, ${user}::text) as q`;
    await owner.unsafe(grant!.q);
  } finally {
    await owner.end({ timeout: 5 });
  }
}

export interface RoleReport {
  user: string;
  superuser: boolean;
  bypassRls: boolean;
  ownedTables: string[];
}

/** Reads what the current login may do. */
export async function inspectRole(sql: postgres.Sql): Promise<RoleReport> {
  const [r] = await sql<{ user: string; superuser: boolean; bypass: boolean }[]>`
    select current_user as user, rolsuper as superuser, rolbypassrls as bypass
    from pg_roles where rolname = current_user`;
  const owned = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
      and pg_has_role(current_user, c.relowner, 'USAGE')`;
  return { user: r!.user, superuser: r!.superuser, bypassRls: r!.bypass, ownedTables: owned.map((o) => o.name) };
}

/** Throws with a clear message when the app's login would bypass row-level security. */
export async function assertSafeAppRole(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const report = await inspectRole(sql);
    const problems = [
      report.superuser && "is a superuser",
      report.bypassRls && "has BYPASSRLS",
      report.ownedTables.length > 0 && `owns tables (${report.ownedTables.slice(0, 5).join(", ")})`,
    ].filter(Boolean);
    if (problems.length > 0) {
      throw new Error(
        `Refusing to start: database role "${report.user}" ${problems.join(" and ")}. ` +
          `DATABASE_URL must be the app role (member of ${APP_ROLE}); the owner belongs in DATABASE_OWNER_URL.`,
      );
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
