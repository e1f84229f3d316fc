/**
 * The demo a first run shows: tenants `acme` (with department `acme-sales`) and `globex`, and a user for every
 * role. Everything is written as the app role through scoped transactions, so the seed obeys the same RLS
 * policies as requests do. Domain data is added by the seeders each domain registers in `domainSeeders`.
 */
import { eq } from "drizzle-orm";
import type { DbHandle, Tx } from "./client";
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

export interface SeedResult {
  created: boolean;
  password: string;
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
export type DomainSeeder = (tx: Tx, ctx: { tenantId: string; userIds: string[]; seed: number }) => Promise<void>;

export interface SeedOptions {
  hashPassword: (password: string) => Promise<string>;
  domainSeeders?: DomainSeeder[];
}

export async function seed(handle: DbHandle, options: SeedOptions): Promise<SeedResult> {
  const result: SeedResult = {
    created: false,
    password: DEMO_PASSWORD,
    tenants: demoTenants.map((t) => ({ slug: t.slug, name: t.name, parentSlug: t.parentSlug })),
    logins: demoLogins,
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
        .values({ email: login.email, name: login.name, passwordHash })
        .returning({ id: users.id });
      userIds.set(login.email, row!.id);
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
      for (const seeder of options.domainSeeders ?? []) {
        await seeder(tx, { tenantId: id, userIds: members.map((m) => userIds.get(m.email)!), seed: 42 });
      }
    });
  }
  return { ...result, created: true };
}
