// The benchmark dataset: a throwaway PostgreSQL cluster, migrated as the owner, filled by the data generator
// (`seed.mjs --tenants …`, the same code as `pnpm db:seed`) through the app role and RLS, plus the demo tenants
// for the dashboard. Credentials (sessions, API keys) are minted directly as the owner, exactly as a login or
// `apiKeys.create` stores them (SHA-256 of a random token): no argon2 and no login throttle in the way.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { root, startDatabase } from "../lib/stack.mjs";

const token = () => randomBytes(32).toString("base64url");
const sha256 = (s) => createHash("sha256").update(s).digest("hex");

/**
 * Full-text indexes are built after loading rather than kept up to date row by row (a GIN index takes millions of
 * inserts far slower than one build); the result is the same index.
 */
const builtAfterLoading = ["messages_search_idx", "engagements_subject_search_idx"];

/**
 * `cacheDir` (tooling for iterating, e.g. profile-list.mjs): the first run saves the loaded cluster's data directory
 * there, later runs with the same arguments start from a copy of it instead of generating again.
 */
export async function buildDataset({ tenants, days, scale, seed, until, extraConfig, cacheDir }) {
  const t0 = Date.now();
  const saved =
    cacheDir && join(cacheDir, `t${tenants}-d${days}-s${scale}-${seed}-${until.replace(/\W/g, "")}-m${migrationsHash()}`);
  if (saved && existsSync(saved)) {
    const database = await startDatabase({ extraConfig, fromData: saved });
    const owner = postgres(database.ownerUrl, { max: 4, onnotice: () => {} });
    // The generating run's figures (counts, size, times), and where this copy came from.
    const info = existsSync(`${saved}.json`) ? JSON.parse(readFileSync(`${saved}.json`, "utf8")) : {};
    return { database, owner, info: { ...info, restoredFrom: saved, restoreMs: Date.now() - t0 } };
  }
  const database = await startDatabase({ extraConfig });
  const migrateMs = Date.now() - t0;
  let owner = postgres(database.ownerUrl, { max: 4, onnotice: () => {} });
  const deferred = await owner`select indexname, indexdef from pg_indexes where schemaname = 'public' and indexname = any(${builtAfterLoading})`;
  for (const { indexname } of deferred) await owner.unsafe(`drop index "${indexname}"`);
  const args = ["--tenants", String(tenants), "--days", String(days), "--scale", String(scale), "--seed", String(seed), "--until", until];
  const t1 = Date.now();
  const r = database.seed(args);
  if (r.status !== 0) throw new Error("seed failed");
  const seedMs = Date.now() - t1;
  const t3 = Date.now();
  await owner.begin(async (tx) => {
    await tx`set local maintenance_work_mem = '1GB'`;
    for (const { indexdef } of deferred) await tx.unsafe(indexdef);
  });
  const indexMs = Date.now() - t3;
  if (database.seed([]).status !== 0) throw new Error("demo seed failed");
  const t2 = Date.now();
  // Autovacuum would get here eventually; a freshly loaded table gets its statistics and visibility map now.
  await owner`vacuum analyze`;
  const vacuumMs = Date.now() - t2;
  const counts = Object.fromEntries(
    (
      await owner`select 'tenants' t, count(*)::int n from tenants union all select 'users', count(*)::int from users
        union all select 'calls', count(*)::int from calls union all select 'leads', count(*)::int from leads
        union all select 'engagements', count(*)::int from engagements union all select 'engagement_events', count(*)::int from engagement_events
        union all select 'messages', count(*)::int from messages union all select 'contacts', count(*)::int from contacts`
    ).map((row) => [row.t, row.n]),
  );
  const [{ size }] = await owner`select pg_size_pretty(pg_database_size(current_database())) as size`;
  if (saved) {
    await owner`checkpoint`;
    await owner.end();
    database.cluster.stopServer();
    mkdirSync(cacheDir, { recursive: true });
    execFileSync("cp", ["-a", database.cluster.dataDir, saved]);
    database.cluster.start();
    owner = postgres(database.ownerUrl, { max: 4, onnotice: () => {} });
  }
  const info = { args: args.join(" "), counts, databaseSize: size, migrateMs, seedMs, indexMs, deferredIndexes: deferred.map((d) => d.indexname), vacuumMs };
  if (saved) writeFileSync(`${saved}.json`, JSON.stringify(info));
  return { database, owner, info };
}

/**
 * The migrations' text, hashed: a saved copy is used only by runs with the same migrations (a restored copy is not
 * migrated again, so a changed migration would otherwise be measured on the old schema).
 */
function migrationsHash() {
  const dir = join(root, "migrations");
  const hash = createHash("sha256");
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  return hash.digest("hex").slice(0, 12);
}

/** Every generated tenant with its users by role (gen-* tenants only). */
export async function loadTenants(owner) {
  const rows = await owner`
    select t.id, t.slug, t.tier, m.role, m.user_id
    from tenants t join memberships m on m.tenant_id = t.id
    where t.slug like 'gen-%' order by t.slug, m.role`;
  const bySlug = new Map();
  for (const r of rows) {
    if (!bySlug.has(r.slug)) bySlug.set(r.slug, { id: r.id, slug: r.slug, tier: r.tier, users: {} });
    bySlug.get(r.slug).users[r.role] = r.user_id;
  }
  return [...bySlug.values()];
}

/** A session for `userId`; returns the cookie value (the table keeps only its hash, like a login). */
export async function mintSession(owner, userId) {
  const t = token();
  await owner`insert into sessions (id, user_id, expires_at, created_at, ip, user_agent)
    values (${sha256(t)}, ${userId}, now() + interval '30 minutes', now(), '127.0.0.1', 'switchboard-bench')`;
  return `sb_session=${t}`;
}

/** An API key of `role` in tenant `tenantId`; returns the `Authorization` header value. */
export async function mintApiKey(owner, tenantId, role, name = "bench") {
  const key = `sk_${token()}`;
  await owner`insert into api_keys (tenant_id, name, role, prefix, key_hash)
    values (${tenantId}, ${name}, ${role}, ${key.slice(0, 10)}, ${sha256(key)})`;
  return `Bearer ${key}`;
}

/** Two keyset cursors per tenant (after the 100th and the 400th completed call): a filter and a cursor, like page 3+. */
export async function cursorsFor(owner, tenantIds) {
  const rows = await owner`
    select tenant_id, started_at, id from (
      select tenant_id, started_at, id,
        row_number() over (partition by tenant_id order by started_at desc, id desc) as rn
      from calls where status = 'completed' and tenant_id = any(${tenantIds}::uuid[])) s
    where rn in (100, 400)`;
  const map = new Map();
  for (const r of rows) {
    const cursor = Buffer.from(JSON.stringify([r.started_at.toISOString(), r.id])).toString("base64url");
    if (!map.has(r.tenant_id)) map.set(r.tenant_id, []);
    map.get(r.tenant_id).push(cursor);
  }
  return map;
}
