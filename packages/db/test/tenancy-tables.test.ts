// Policies of the tenancy tables (invitations, API keys, audit log, outbox, request budgets), as the app role.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiKeys,
  auditLog,
  emailOutbox,
  invitations,
  memberships,
  requestBudgets,
  tenants,
  users,
  withScope,
} from "../src/index";
import { createTestDatabase, rejectionCode, type TestDatabase } from "../src/testing/index";

const RLS_VIOLATION = "42501";

let t: TestDatabase;
const A = crypto.randomUUID();
const B = crypto.randomUUID();
let alice: string;
let platformAdmin: string;

const row = {
  invitations: (tenantId: string) => ({
    tenantId,
    email: `x-${crypto.randomUUID()}@a.test`,
    role: "agent" as const,
    tokenHash: `inv-${crypto.randomUUID()}`,
    expiresAt: new Date(Date.now() + 86_400_000),
  }),
  apiKeys: (tenantId: string) => ({
    tenantId,
    name: "k",
    role: "agent" as const,
    prefix: "sk_x",
    keyHash: `key-${crypto.randomUUID()}`,
  }),
  auditLog: (tenantId: string) => ({
    tenantId,
    actorType: "user" as const,
    actorId: crypto.randomUUID(),
    actorLabel: "someone",
    action: "members.add",
    resourceType: "member",
    result: "success" as const,
  }),
  emailOutbox: (tenantId: string) => ({ tenantId, kind: "invitation", to: "x@a.test", subject: "s", body: "b" }),
  requestBudgets: (tenantId: string) => ({ tenantId, windowStart: new Date(Math.floor(Math.random() * 1e12)), count: 1 }),
};
const tables = { invitations, apiKeys, auditLog, emailOutbox, requestBudgets } as const;
type Name = keyof typeof tables;
const names = Object.keys(tables) as Name[];

async function insert(name: Name, tenantId: string, values = row[name](tenantId)) {
  // The union of table types defeats Drizzle's overloads; each pair is checked by the row builders above.
  const table = tables[name] as typeof auditLog;
  await withScope(t.app, { tenantId }, (tx) => tx.insert(table).values(values as typeof auditLog.$inferInsert));
}

beforeAll(async () => {
  t = await createTestDatabase();
  [alice, platformAdmin] = await withScope(t.app, {}, async (tx) => {
    const rows = await tx
      .insert(users)
      .values([
        { email: "alice@tables.test", name: "Alice", passwordHash: "x" },
        { email: "root@tables.test", name: "Root", passwordHash: "x" },
      ])
      .returning({ id: users.id });
    return rows.map((r) => r.id) as [string, string];
  });
  await t.owner.db.update(users).set({ isPlatformAdmin: true, mfaEnabledAt: new Date() }).where(eq(users.id, platformAdmin));
  for (const [id, slug] of [
    [A, "tables-a"],
    [B, "tables-b"],
  ] as const) {
    await withScope(t.app, { tenantId: id, userId: alice }, async (tx) => {
      await tx.insert(tenants).values({ id, slug, name: slug });
      await tx.insert(memberships).values({ tenantId: id, userId: alice, role: "owner" });
    });
    for (const name of names) await insert(name, id);
  }
});
afterAll(() => t?.close());

describe.each(names)("%s as the app role", (name) => {
  const table = () => tables[name] as typeof auditLog;

  it("shows zero rows without a scope, and only the scoped tenant's rows with one", async () => {
    expect(await withScope(t.app, {}, (tx) => tx.select().from(table()))).toHaveLength(0);
    expect(await withScope(t.app, { userId: alice }, (tx) => tx.select().from(table()))).toHaveLength(0);
    const inA = await withScope(t.app, { tenantId: A }, (tx) => tx.select().from(table()));
    expect(inA.length).toBeGreaterThan(0);
    expect(new Set(inA.map((r) => r.tenantId))).toEqual(new Set([A]));
  });

  it("rejects writing a row into another tenant", async () => {
    const values = row[name](B) as typeof auditLog.$inferInsert;
    expect(
      await rejectionCode(withScope(t.app, { tenantId: A }, (tx) => tx.insert(table()).values(values))),
    ).toBe(RLS_VIOLATION);
  });
});

describe("tenant tables as the app role", () => {
  it("cannot move invitations, keys or budgets into another tenant", async () => {
    for (const table of [invitations, apiKeys, requestBudgets]) {
      expect(
        await rejectionCode(
          withScope(t.app, { tenantId: A }, (tx) =>
            tx.update(table as typeof invitations).set({ tenantId: B }).where(sql`true`),
          ),
        ),
      ).toBe(RLS_VIOLATION);
    }
  });

  it("the audit log is append-only: no UPDATE or DELETE, even inside the tenant", async () => {
    expect(
      await rejectionCode(
        withScope(t.app, { tenantId: A }, (tx) => tx.update(auditLog).set({ result: "denied" }).where(sql`true`)),
      ),
    ).toBe(RLS_VIOLATION);
    expect(
      await rejectionCode(withScope(t.app, { tenantId: A }, (tx) => tx.delete(auditLog).where(sql`true`))),
    ).toBe(RLS_VIOLATION);
    const rows = await withScope(t.app, { tenantId: A }, (tx) => tx.select().from(auditLog));
    expect(rows.every((r) => r.result === "success")).toBe(true);
  });

  it("outbox rows are changed only inside their tenant; account mail (no tenant) is invisible to a tenant scope", async () => {
    // The mail job runs as the app role in the mail's tenant scope: it marks rows sent there, and only there.
    const elsewhere = await withScope(t.app, { tenantId: B }, (tx) =>
      tx.update(emailOutbox).set({ sentAt: new Date() }).where(eq(emailOutbox.tenantId, A)).returning(),
    );
    expect(elsewhere).toHaveLength(0);
    await withScope(t.app, {}, (tx) =>
      tx.insert(emailOutbox).values({ tenantId: null, kind: "verify-email", to: "x@a.test", subject: "s", body: "b" }),
    );
    const seenByTenant = await withScope(t.app, { tenantId: A }, (tx) => tx.select().from(emailOutbox));
    expect(seenByTenant.every((m) => m.tenantId === A)).toBe(true);
    expect(
      await rejectionCode(
        withScope(t.app, {}, (tx) =>
          tx.insert(emailOutbox).values({ tenantId: A, kind: "invitation", to: "x@a.test", subject: "s", body: "b" }),
        ),
      ),
    ).toBe(RLS_VIOLATION);
  });

  it("a presented key hash reads exactly that key, across tenants, and nothing else", async () => {
    await insert("apiKeys", B, { ...row.apiKeys(B), keyHash: "the-presented-hash" });
    const found = await withScope(t.app, { apiKeyHash: "the-presented-hash" }, (tx) => tx.select().from(apiKeys));
    expect(found.map((k) => [k.tenantId, k.keyHash])).toEqual([[B, "the-presented-hash"]]);
    expect(await withScope(t.app, { apiKeyHash: "no-such-hash" }, (tx) => tx.select().from(apiKeys))).toHaveLength(0);
    // The hash scope grants reading only: the row cannot be changed without entering its tenant.
    const changed = await withScope(t.app, { apiKeyHash: "the-presented-hash" }, (tx) =>
      tx.update(apiKeys).set({ name: "pwned" }).where(eq(apiKeys.keyHash, "the-presented-hash")).returning(),
    );
    expect(changed).toHaveLength(0);
  });

  it("a presented invitation token hash reads exactly that invitation", async () => {
    await insert("invitations", A, { ...row.invitations(A), tokenHash: "the-token-hash" });
    const found = await withScope(t.app, { invitationTokenHash: "the-token-hash" }, (tx) => tx.select().from(invitations));
    expect(found.map((i) => i.tokenHash)).toEqual(["the-token-hash"]);
    expect(await withScope(t.app, { apiKeyHash: "the-token-hash" }, (tx) => tx.select().from(invitations))).toHaveLength(0);
  });

  it("departments are visible from their parent's scope; platform admins see every tenant", async () => {
    const dept = crypto.randomUUID();
    await withScope(t.app, { tenantId: dept, parentTenantId: A, userId: alice }, (tx) =>
      tx.insert(tenants).values({ id: dept, slug: "tables-a-dept", name: "Dept", parentId: A }),
    );
    const fromA = await withScope(t.app, { tenantId: A }, (tx) => tx.select().from(tenants));
    expect(fromA.map((r) => r.slug).sort()).toEqual(["tables-a", "tables-a-dept"]);
    const fromB = await withScope(t.app, { tenantId: B }, (tx) => tx.select().from(tenants));
    expect(fromB.map((r) => r.slug)).toEqual(["tables-b"]);
    const all = await withScope(t.app, { userId: platformAdmin }, (tx) => tx.select().from(tenants));
    expect(all.length).toBe(3);
    const outsider = await withScope(t.app, { userId: crypto.randomUUID() }, (tx) => tx.select().from(tenants));
    expect(outsider).toHaveLength(0);
  });
});
