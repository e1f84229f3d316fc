/**
 * The demo a first run shows: tenants `acme` (with department `acme-sales`) and `globex`, and a user for every
 * role. Everything is written as the app role through scoped transactions, so the seed obeys the same RLS
 * policies as requests do. Domain data is added by the seeders each domain registers in `domainSeeders`.
 */
import { eq } from "drizzle-orm";
import type { DbHandle, Tx } from "./client";
import { emptyCounts, generateTenantData, type GenerateCounts, hashSeed, Rng } from "./generate";
import { memberships, type Role, tenants, users } from "./schema/index";
import { defaultBranding, tierDefaults } from "./tenant-defaults";
import { withScope } from "./with-tenant";

export const DEMO_PASSWORD = "switchboard-demo";

export interface DemoLogin {
  email: string;
  name: string;
  tenant: string;
  role: Role;
}

/**
 * The embedded demo's platform admin (no tenant; the console at /platform). Seeded only when asked (`pnpm start` on
 * PGlite), never by `pnpm db:seed` on a real database: a known password must not open the platform's powers. Those
 * powers also need MFA, which the person turns on under Security first.
 */
export const DEMO_PLATFORM_ADMIN = { email: "platform@switchboard.test", name: "Pat Platform" } as const;

export interface SeedResult {
  created: boolean;
  password: string;
  /** The demo's platform admin, when seeded. */
  platformAdmin: { email: string } | null;
  tenants: { slug: string; name: string; parentSlug: string | null }[];
  logins: DemoLogin[];
}

const demoTenants = [
  { slug: "acme", name: "Acme Corporation", tier: "pro", parentSlug: null, primaryColor: "#4f46e5" },
  { slug: "acme-sales", name: "Acme Sales", tier: "pro", parentSlug: "acme", primaryColor: "#0f766e" },
  { slug: "globex", name: "Globex", tier: "free", parentSlug: null, primaryColor: "#b91c1c" },
] as const;

const demoLogins: DemoLogin[] = [
  { email: "owner@acme.test", name: "Olivia Owner", tenant: "acme", role: "owner" },
  { email: "admin@acme.test", name: "Adam Admin", tenant: "acme", role: "admin" },
  { email: "agent@acme.test", name: "Alice Agent", tenant: "acme", role: "agent" },
  { email: "viewer@acme.test", name: "Victor Viewer", tenant: "acme", role: "viewer" },
  { email: "sales@acme.test", name: "Sam Sales", tenant: "acme-sales", role: "agent" },
  { email: "owner@globex.test", name: "Gina Globex", tenant: "globex", role: "owner" },
];

/** Seeds a domain's demo rows for one tenant, inside that tenant's scope. */
export type DomainSeeder = (tx: Tx, ctx: { tenantId: string; members: { id: string; name: string }[]; seed: number }) => Promise<void>;

export interface SeedOptions {
  hashPassword: (password: string) => Promise<string>;
  domainSeeders?: DomainSeeder[];
  /** Also seed the demo platform admin (the embedded demo only). */
  platformAdmin?: boolean;
}

/**
 * The demo's customer-care data over the last 30 days: agents, contacts, calls, leads, and conversations with
 * readable threads (replies by the members and the chat agents, notes), labels and canned responses; sized by
 * tier and limited by the tenant's features (a free tenant gets no voice agents).
 */
export const demoDomainSeeder: DomainSeeder = async (tx, ctx) => {
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId));
  if (!tenant) return;
  const features = { ...tierDefaults[tenant.tier].features, ...tenant.features };
  await generateTenantData(tx, {
    tenantId: ctx.tenantId,
    members: ctx.members,
    seed: hashSeed(ctx.seed, tenant.slug),
    days: 30,
    scale: { free: 0.3, pro: 1, enterprise: 2 }[tenant.tier] * (tenant.parentId ? 0.5 : 1),
    until: new Date(),
    features,
  });
};

export async function seed(handle: DbHandle, options: SeedOptions): Promise<SeedResult> {
  const result: SeedResult = {
    created: false,
    password: DEMO_PASSWORD,
    tenants: demoTenants.map((t) => ({ slug: t.slug, name: t.name, parentSlug: t.parentSlug })),
    logins: demoLogins,
    platformAdmin: options.platformAdmin ? { email: DEMO_PLATFORM_ADMIN.email } : null,
  };
  const existing = await withScope(handle, { tenantSlug: "acme" }, (tx) =>
    tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, "acme")),
  );
  if (existing.length > 0) return result;

  const passwordHash = await options.hashPassword(DEMO_PASSWORD);
  const userIds = new Map<string, string>();
  await withScope(handle, {}, async (tx) => {
    for (const login of demoLogins) {
      const [row] = await tx
        .insert(users)
        .values({ email: login.email, name: login.name, passwordHash, emailVerifiedAt: new Date() })
        .returning({ id: users.id });
      userIds.set(login.email, row!.id);
    }
    if (options.platformAdmin) {
      await tx.insert(users).values({ ...DEMO_PLATFORM_ADMIN, passwordHash, emailVerifiedAt: new Date(), isPlatformAdmin: true });
    }
  });

  const tenantIds = new Map<string, string>();
  const creator = userIds.get("owner@acme.test")!;
  for (const t of demoTenants) {
    const id = crypto.randomUUID();
    tenantIds.set(t.slug, id);
    const tier = tierDefaults[t.tier];
    await withScope(handle, { tenantId: id, userId: creator }, async (tx) => {
      await tx.insert(tenants).values({
        id,
        slug: t.slug,
        name: t.name,
        tier: t.tier,
        parentId: t.parentSlug ? tenantIds.get(t.parentSlug)! : null,
        maxUsers: tier.maxUsers,
        branding: t.parentSlug ? { primaryColor: t.primaryColor } : { ...defaultBranding, primaryColor: t.primaryColor },
      });
      const members = demoLogins.filter((l) => l.tenant === t.slug);
      if (members.length > 0) {
        await tx
          .insert(memberships)
          .values(members.map((m) => ({ tenantId: id, userId: userIds.get(m.email)!, role: m.role })));
      }
      for (const seeder of options.domainSeeders ?? [demoDomainSeeder]) {
        // Engagements go to people who can work them: viewers are never assignees.
        const workers = members.filter((m) => m.role !== "viewer");
        await seeder(tx, { tenantId: id, members: workers.map((m) => ({ id: userIds.get(m.email)!, name: m.name })), seed: 42 });
      }
    });
  }
  return { ...result, created: true };
}

export interface GenerateTenantsOptions {
  tenants: number;
  days: number;
  scale: number;
  seed: number;
  until: Date;
  /** Slug prefix: tenants are `<prefix>-00001`, …; refuses to run if the first one exists. */
  prefix?: string;
  /** Tenants written in parallel (one transaction each). */
  concurrency?: number;
  hashPassword: (password: string) => Promise<string>;
  onProgress?: (done: number, totals: GenerateCounts) => void;
}

const roles: Role[] = ["owner", "admin", "agent", "viewer"];
const memberFirstNames = ["Alex", "Blake", "Casey", "Drew", "Eden", "Frankie", "Harper", "Jordan", "Kai", "Logan", "Morgan", "Parker", "Reese", "Riley", "Sky", "Taylor"];
const roleNames: Record<Role, string> = { owner: "Owner", admin: "Admin", agent: "Agent", viewer: "Viewer" };
/** A generated member's display name: a first name and the role (the thread shows who replied). */
const nameOf = (role: Role, index: number) => `${memberFirstNames[(index * 4 + roles.indexOf(role)) % memberFirstNames.length]} ${roleNames[role]}`;

/**
 * Benchmark data: `tenants` tenants (tiers mixed 60/30/10 free/pro/enterprise), each with an owner and three
 * members (password DEMO_PASSWORD) and `days` of domain data. Each tenant is one scoped transaction.
 */
export async function generateTenants(handle: DbHandle, o: GenerateTenantsOptions): Promise<GenerateCounts & { tenants: number; users: number }> {
  const prefix = o.prefix ?? "gen";
  const slugOf = (i: number) => `${prefix}-${String(i + 1).padStart(5, "0")}`;
  const taken = await withScope(handle, { tenantSlug: slugOf(0) }, (tx) =>
    tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slugOf(0))),
  );
  if (taken.length > 0) throw new Error(`tenant ${slugOf(0)} exists already: pick another --prefix`);

  const passwordHash = await o.hashPassword(DEMO_PASSWORD);
  const rng = new Rng(hashSeed(o.seed, prefix));
  const totals = emptyCounts();
  const plans = Array.from({ length: o.tenants }, (_, i) => ({
    index: i,
    slug: slugOf(i),
    id: rng.uuid(),
    tier: rng.weighted([["free", 60], ["pro", 30], ["enterprise", 10]] as const),
    userIds: roles.map(() => rng.uuid()),
  }));

  // Users first, in large batches (global table, no tenant scope).
  for (let start = 0; start < plans.length; start += 500) {
    const batch = plans.slice(start, start + 500);
    await withScope(handle, {}, (tx) =>
      tx.insert(users).values(
        batch.flatMap((p) =>
          roles.map((role, r) => ({ id: p.userIds[r]!, email: `${role}@${p.slug}.test`, name: nameOf(role, p.index), passwordHash, emailVerifiedAt: new Date() })),
        ),
      ),
    );
  }

  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let p = plans[next++]; p; p = plans[next++]) {
      const plan = p;
      const counts = await withScope(handle, { tenantId: plan.id, userId: plan.userIds[0]! }, async (tx) => {
        await tx.insert(tenants).values({ id: plan.id, slug: plan.slug, name: `Generated ${plan.slug}`, tier: plan.tier, maxUsers: tierDefaults[plan.tier].maxUsers });
        await tx.insert(memberships).values(roles.map((role, r) => ({ tenantId: plan.id, userId: plan.userIds[r]!, role })));
        return generateTenantData(tx, {
          tenantId: plan.id,
          members: roles.slice(0, 3).map((role, r) => ({ id: plan.userIds[r]!, name: nameOf(role, plan.index) })),
          seed: hashSeed(o.seed, plan.slug),
          days: o.days,
          scale: o.scale,
          until: o.until,
          features: tierDefaults[plan.tier].features,
        });
      });
      for (const k of Object.keys(totals) as (keyof GenerateCounts)[]) totals[k] += counts[k];
      o.onProgress?.(++done, totals);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 4) }, worker));
  return { ...totals, tenants: plans.length, users: plans.length * roles.length };
}
