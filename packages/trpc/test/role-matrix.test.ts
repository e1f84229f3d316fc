/**
 * Every tenant procedure × every kind of caller, asserted against the contract's role table. Table-driven: a
 * domain adds its procedures as rows (path, the lowest role allowed, an input built from the fixture). Each
 * call runs against a fresh fixture tenant; refused calls must leave it exactly as it was, and every mutation
 * leaves an audit entry (`success`, or `denied` for a refusal inside the tenant).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthUser } from "@switchboard/auth";
import {
  agents,
  apiKeys,
  auditLog,
  calls,
  emailOutbox,
  engagements,
  invitations,
  leads,
  memberships,
  type Role,
  type Tenant,
  tenants,
  withTenant,
} from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import {
  asKey,
  asUser,
  callPath,
  codeOf,
  createKeyFixture,
  createTenantFixture,
  createUser,
} from "../src/testing";
import { roleRank } from "../src/trpc";

type User = AuthUser & { sessionId: string; token: string };

interface Fixture {
  tenant: Tenant;
  spareKeyId: string;
  invitationId: string;
  keys: { admin: string; viewer: string };
  agentId: string;
  callId: string;
  leadId: string;
  engagementId: string;
}

interface Row {
  path: string;
  /** Lowest role allowed (contract's role table). */
  min: Role;
  type: "query" | "mutation";
  note?: string;
  /** Only people can do this (API keys are FORBIDDEN). */
  usersOnly?: boolean;
  input?: (f: Fixture) => unknown;
}

let n = 0;
const fresh = (what: string) => `${what}-${++n}-${Date.now()}@matrix.test`;

// ----- rows: add a domain's procedures here -----------------------------------------------------------------
const rows: Row[] = [
  { path: "tenant.current", min: "viewer", type: "query" },
  { path: "tenant.children", min: "viewer", type: "query" },
  { path: "tenant.update", min: "admin", type: "mutation", input: () => ({ name: "Renamed", branding: { primaryColor: "#112233" } }) },
  { path: "tenant.update", note: "maxUsers", min: "owner", type: "mutation", input: () => ({ maxUsers: 40 }) },
  { path: "tenant.update", note: "tier", min: "owner", type: "mutation", input: () => ({ tier: "pro" }) },
  { path: "tenant.archive", min: "owner", type: "mutation", input: (f) => ({ confirmSlug: f.tenant.slug }) },
  { path: "members.list", min: "viewer", type: "query" },
  { path: "members.add", min: "admin", type: "mutation", input: () => ({ email: fresh("new"), role: "agent" }) },
  { path: "members.add", note: "existing user", min: "admin", type: "mutation", input: () => ({ email: spare.email, role: "viewer" }) },
  { path: "members.add", note: "as owner", min: "owner", type: "mutation", input: () => ({ email: fresh("boss"), role: "owner" }) },
  { path: "members.updateRole", min: "admin", type: "mutation", input: () => ({ userId: extraAgent.id, role: "viewer" }) },
  { path: "members.updateRole", note: "of an owner", min: "owner", type: "mutation", input: () => ({ userId: extraOwner.id, role: "admin" }) },
  { path: "members.updateRole", note: "to owner", min: "owner", type: "mutation", input: () => ({ userId: extraAgent.id, role: "owner" }) },
  { path: "members.remove", min: "admin", type: "mutation", input: () => ({ email: extraAgent.email }) },
  { path: "members.remove", note: "an owner", min: "owner", type: "mutation", input: () => ({ email: extraOwner.email }) },
  { path: "members.leave", min: "viewer", type: "mutation", usersOnly: true },
  { path: "invitations.list", min: "admin", type: "query" },
  { path: "invitations.revoke", min: "admin", type: "mutation", input: (f) => ({ id: f.invitationId }) },
  { path: "apiKeys.list", min: "admin", type: "query" },
  { path: "apiKeys.create", min: "admin", type: "mutation", input: () => ({ name: "CI", role: "agent" }) },
  { path: "apiKeys.revoke", min: "admin", type: "mutation", input: (f) => ({ id: f.spareKeyId }) },
  { path: "audit.list", min: "admin", type: "query" },
  // AI agents: everyone reads, admins manage.
  { path: "agents.list", min: "viewer", type: "query" },
  { path: "agents.get", min: "viewer", type: "query", input: (f) => ({ id: f.agentId }) },
  { path: "agents.create", min: "admin", type: "mutation", input: () => ({ name: "Nova", type: "chat", configuration: { prompt: "Be kind", language: "en" } }) },
  { path: "agents.update", min: "admin", type: "mutation", input: (f) => ({ id: f.agentId, name: "Renamed agent" }) },
  { path: "agents.delete", min: "admin", type: "mutation", input: (f) => ({ id: f.agentId }) },
  // Calls, leads, engagements: everyone reads, agents and up write.
  { path: "calls.list", min: "viewer", type: "query" },
  { path: "calls.get", min: "viewer", type: "query", input: (f) => ({ id: f.callId }) },
  { path: "calls.create", min: "agent", type: "mutation", input: () => ({ direction: "inbound", customerPhone: "+15550001111" }) },
  { path: "calls.update", min: "agent", type: "mutation", input: (f) => ({ id: f.callId, status: "completed", outcome: "Resolved" }) },
  { path: "leads.list", min: "viewer", type: "query" },
  { path: "leads.get", min: "viewer", type: "query", input: (f) => ({ id: f.leadId }) },
  { path: "leads.create", min: "agent", type: "mutation", input: () => ({ name: "Lead Person", email: "lead@example.test" }) },
  { path: "leads.update", min: "agent", type: "mutation", input: (f) => ({ id: f.leadId, status: "contacted" }) },
  { path: "leads.delete", min: "agent", type: "mutation", input: (f) => ({ id: f.leadId }) },
  { path: "engagements.list", min: "viewer", type: "query" },
  { path: "engagements.get", min: "viewer", type: "query", input: (f) => ({ id: f.engagementId }) },
  { path: "engagements.create", min: "agent", type: "mutation", input: () => ({ channel: "email", customer: "c@example.test", message: "Hello" }) },
  { path: "engagements.updateStatus", min: "agent", type: "mutation", input: (f) => ({ id: f.engagementId, status: "open" }) },
  { path: "engagements.assign", min: "agent", type: "mutation", input: (f) => ({ id: f.engagementId, userId: null }) },
  { path: "engagements.rate", min: "agent", type: "mutation", input: (f) => ({ id: f.engagementId, csat: 4 }) },
  { path: "analytics.summary", min: "viewer", type: "query", input: () => ({ from: "2026-01-01T00:00:00Z", to: "2026-01-31T00:00:00Z" }) },
  { path: "analytics.timeseries", min: "viewer", type: "query", input: () => ({ metric: "calls", interval: "day", from: "2026-01-01T00:00:00Z", to: "2026-01-31T00:00:00Z" }) },
];

// ----- callers ----------------------------------------------------------------------------------------------
type CallerName = "owner" | "admin" | "agent" | "viewer" | "adminKey" | "viewerKey" | "nonMember" | "otherOwner" | "otherKey";
const callerNames: CallerName[] = ["owner", "admin", "agent", "viewer", "adminKey", "viewerKey", "nonMember", "otherOwner", "otherKey"];

function expected(row: Row, caller: CallerName): "OK" | "FORBIDDEN" {
  const role: Role | null =
    caller === "adminKey" ? "admin" : caller === "viewerKey" ? "viewer" : (["owner", "admin", "agent", "viewer"] as const).find((r) => r === caller) ?? null;
  if (!role) return "FORBIDDEN";
  if (row.usersOnly && caller.endsWith("Key")) return "FORBIDDEN";
  return roleRank[role] >= roleRank[row.min] ? "OK" : "FORBIDDEN";
}

let t: TestDatabase;
const people = {} as Record<"owner" | "admin" | "agent" | "viewer" | "nonMember" | "otherOwner", User>;
let extraAgent: User;
let extraOwner: User;
let spare: User;
let otherKey: string;

beforeAll(async () => {
  t = await createTestDatabase();
  for (const name of ["owner", "admin", "agent", "viewer", "nonMember", "otherOwner"] as const) {
    people[name] = await createUser(t.app, name);
  }
  extraAgent = await createUser(t.app, "extraAgent");
  extraOwner = await createUser(t.app, "extraOwner");
  spare = await createUser(t.app, "spare");
  const other = await createTenantFixture(t.app, { slug: "matrix-other", members: [[people.otherOwner.id, "owner"]] });
  otherKey = (await createKeyFixture(t.app, other.id, "admin")).key;
});
afterAll(() => t?.close());

let fixtureCount = 0;
async function fixture(): Promise<Fixture> {
  fixtureCount += 1;
  const tenant = await createTenantFixture(t.app, {
    slug: `matrix-${fixtureCount}`,
    members: [
      [people.owner.id, "owner"],
      [people.admin.id, "admin"],
      [people.agent.id, "agent"],
      [people.viewer.id, "viewer"],
      [extraAgent.id, "agent"],
      [extraOwner.id, "owner"],
    ],
  });
  const admin = await createKeyFixture(t.app, tenant.id, "admin");
  const viewer = await createKeyFixture(t.app, tenant.id, "viewer");
  const spareKey = await createKeyFixture(t.app, tenant.id, "agent", "spare");
  const [invitation] = await withTenant(t.app, { tenantId: tenant.id }, (tx) =>
    tx
      .insert(invitations)
      .values({ tenantId: tenant.id, email: fresh("pending"), role: "agent", tokenHash: crypto.randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) })
      .returning(),
  );
  const domain = await withTenant(t.app, { tenantId: tenant.id }, async (tx) => {
    const [agent] = await tx
      .insert(agents)
      .values({ tenantId: tenant.id, name: "Ava", type: "voice", configuration: { prompt: "Help callers", language: "en" } })
      .returning();
    const [call] = await tx
      .insert(calls)
      .values({ tenantId: tenant.id, agentId: agent!.id, direction: "inbound", customerPhone: "+15550002222", status: "ringing" })
      .returning();
    const [lead] = await tx.insert(leads).values({ tenantId: tenant.id, name: "Lee" }).returning();
    const [engagement] = await tx
      .insert(engagements)
      .values({ tenantId: tenant.id, channel: "chat", customer: "@lee", message: "Hi" })
      .returning();
    return { agentId: agent!.id, callId: call!.id, leadId: lead!.id, engagementId: engagement!.id };
  });
  return {
    tenant,
    spareKeyId: spareKey.id,
    invitationId: invitation!.id,
    keys: { admin: admin.key, viewer: viewer.key },
    ...domain,
  };
}

function callerFor(name: CallerName, f: Fixture) {
  const slug = f.tenant.slug;
  if (name === "adminKey") return asKey(t.app, f.keys.admin, slug);
  if (name === "viewerKey") return asKey(t.app, f.keys.viewer, slug);
  if (name === "otherKey") return asKey(t.app, otherKey, slug);
  return asUser(t.app, people[name], slug);
}

/** Everything a refused call must not change (read as the owner role, past RLS). */
async function snapshot(tenantId: string) {
  const db = t.owner.db;
  const keys = await db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(apiKeys.id);
  return {
    tenant: await db.select().from(tenants).where(eq(tenants.id, tenantId)),
    memberships: await db.select().from(memberships).where(eq(memberships.tenantId, tenantId)).orderBy(memberships.userId),
    invitations: await db.select().from(invitations).where(eq(invitations.tenantId, tenantId)).orderBy(invitations.id),
    // Authenticating records use; that is not a change made by the refused call.
    apiKeys: keys.map(({ lastUsedAt: _used, ...k }) => k),
    outbox: await db.select().from(emailOutbox).where(eq(emailOutbox.tenantId, tenantId)),
    agents: await db.select().from(agents).where(eq(agents.tenantId, tenantId)).orderBy(agents.id),
    calls: await db.select().from(calls).where(eq(calls.tenantId, tenantId)).orderBy(calls.id),
    leads: await db.select().from(leads).where(eq(leads.tenantId, tenantId)).orderBy(leads.id),
    engagements: await db.select().from(engagements).where(eq(engagements.tenantId, tenantId)).orderBy(engagements.id),
    audit: await db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.result, "success"))),
  };
}

async function auditEntries(tenantId: string, action: string) {
  return t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, action)));
}

describe.each(rows.map((r) => [`${r.path}${r.note ? ` (${r.note})` : ""}`, r] as const))("%s", (_label, row) => {
  it.each(callerNames.map((c) => [c, expected(row, c)] as const))("%s → %s", async (caller, want) => {
    const f = await fixture();
    const before = await snapshot(f.tenant.id);
    const got = await codeOf(callPath(callerFor(caller, f), row.path, row.input?.(f)));
    expect(got).toBe(want);
    if (want !== "OK") {
      expect(await snapshot(f.tenant.id)).toEqual(before);
    }
    if (row.type === "mutation") {
      const entries = await auditEntries(f.tenant.id, row.path);
      if (want === "OK") {
        expect(entries.map((e) => e.result)).toEqual(["success"]);
      } else if (caller === "otherKey") {
        // Refused before entering this tenant: the key's own tenant is not this one.
        expect(entries).toEqual([]);
      } else {
        expect(entries.map((e) => [e.result, e.reason])).toEqual([["denied", "FORBIDDEN"]]);
      }
    }
  });
});
