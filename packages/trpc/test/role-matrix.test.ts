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
  cannedResponses,
  contactHandles,
  contacts,
  dataExports,
  emailOutbox,
  engagementLabels,
  engagements,
  invitations,
  labels,
  leads,
  memberships,
  messages,
  type Role,
  type Tenant,
  tenants,
  users,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  withScope,
} from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import {
  asKey,
  asUser,
  callerFor as plainCaller,
  callPath,
  codeOf,
  createKeyFixture,
  createTenantFixture,
  createUser,
} from "../src/testing";
import { roleRank } from "../src/tenancy/roles";
import { openApiDocument } from "../src/openapi/document";
import { appRouter } from "../src/root";

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
  contactId: string;
  spareContactId: string;
  labelId: string;
  cannedResponseId: string;
  webhookId: string;
  webhookDeliveryId: string;
  /** A ready export (its file is never read here). */
  exportId: string;
}

interface Row {
  path: string;
  /** Lowest role allowed (contract's role table). */
  min: Role;
  type: "query" | "mutation";
  note?: string;
  /** Only people can do this (API keys are FORBIDDEN): access management (contract: keys work data, never access). */
  usersOnly?: boolean;
  /** What the callers allowed by role get instead of OK (e.g. BAD_REQUEST: nobody may send this input). */
  allowedGets?: "BAD_REQUEST" | "FORBIDDEN";
  input?: (f: Fixture) => unknown;
}

let n = 0;
const fresh = (what: string) => `${what}-${++n}-${Date.now()}@matrix.test`;

// ----- rows: add a domain's procedures here -----------------------------------------------------------------
const rows: Row[] = [
  { path: "tenant.current", min: "viewer", type: "query" },
  { path: "tenant.children", min: "viewer", type: "query" },
  { path: "tenant.update", min: "admin", type: "mutation", usersOnly: true, input: () => ({ name: "Renamed", branding: { primaryColor: "#112233" } }) },
  { path: "tenant.update", note: "features down", min: "admin", type: "mutation", usersOnly: true, input: () => ({ features: { voiceAgents: false, maxAgents: 3 } }) },
  { path: "tenant.update", note: "security", min: "admin", type: "mutation", usersOnly: true, input: () => ({ security: { requireMfa: false } }) },
  // The plan is the platform's: nobody in the tenant raises features past it, or sends tier / maxUsers at all.
  { path: "tenant.update", note: "features beyond the plan", min: "admin", type: "mutation", usersOnly: true, allowedGets: "FORBIDDEN", input: () => ({ features: { maxAgents: 100_000 } }) },
  { path: "tenant.update", note: "maxUsers", min: "admin", type: "mutation", usersOnly: true, allowedGets: "BAD_REQUEST", input: () => ({ maxUsers: 40 }) },
  { path: "tenant.update", note: "tier", min: "admin", type: "mutation", usersOnly: true, allowedGets: "BAD_REQUEST", input: () => ({ tier: "enterprise" }) },
  { path: "tenant.archive", min: "owner", type: "mutation", usersOnly: true, input: (f) => ({ confirmSlug: f.tenant.slug }) },
  { path: "members.list", min: "viewer", type: "query" },
  { path: "members.add", min: "admin", type: "mutation", usersOnly: true, input: () => ({ email: fresh("new"), role: "agent" }) },
  { path: "members.add", note: "existing user", min: "admin", type: "mutation", usersOnly: true, input: () => ({ email: spare.email, role: "viewer" }) },
  { path: "members.add", note: "as owner", min: "owner", type: "mutation", usersOnly: true, input: () => ({ email: fresh("boss"), role: "owner" }) },
  { path: "members.updateRole", min: "admin", type: "mutation", usersOnly: true, input: () => ({ userId: extraAgent.id, role: "viewer" }) },
  { path: "members.updateRole", note: "of an owner", min: "owner", type: "mutation", usersOnly: true, input: () => ({ userId: extraOwner.id, role: "admin" }) },
  { path: "members.updateRole", note: "to owner", min: "owner", type: "mutation", usersOnly: true, input: () => ({ userId: extraAgent.id, role: "owner" }) },
  { path: "members.remove", min: "admin", type: "mutation", usersOnly: true, input: () => ({ email: extraAgent.email }) },
  { path: "members.remove", note: "an owner", min: "owner", type: "mutation", usersOnly: true, input: () => ({ email: extraOwner.email }) },
  { path: "members.leave", min: "viewer", type: "mutation", usersOnly: true },
  { path: "invitations.list", min: "admin", type: "query" },
  { path: "invitations.revoke", min: "admin", type: "mutation", usersOnly: true, input: (f) => ({ id: f.invitationId }) },
  { path: "apiKeys.list", min: "admin", type: "query", usersOnly: true },
  { path: "apiKeys.create", min: "admin", type: "mutation", usersOnly: true, input: () => ({ name: "CI", role: "agent" }) },
  { path: "apiKeys.create", note: "admin key", min: "admin", type: "mutation", usersOnly: true, input: () => ({ name: "Root", role: "admin" }) },
  { path: "apiKeys.revoke", min: "admin", type: "mutation", usersOnly: true, input: (f) => ({ id: f.spareKeyId }) },
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
  // --- H2 ---
  // Contacts: everyone reads, agents write, admins merge. Labels and canned responses: everyone reads, admins write.
  { path: "contacts.list", min: "viewer", type: "query", input: () => ({ q: "lee" }) },
  { path: "contacts.get", min: "viewer", type: "query", input: (f) => ({ id: f.contactId }) },
  { path: "contacts.create", min: "agent", type: "mutation", input: () => ({ name: "New Person", email: fresh("contact"), handles: [{ kind: "chat", value: "visitor-7" }] }) },
  { path: "contacts.update", min: "agent", type: "mutation", input: (f) => ({ id: f.contactId, name: "Lee Renamed", phone: "+1 555 000 7777" }) },
  { path: "contacts.merge", min: "admin", type: "mutation", input: (f) => ({ id: f.spareContactId, intoId: f.contactId }) },
  { path: "labels.list", min: "viewer", type: "query" },
  { path: "labels.create", min: "admin", type: "mutation", input: () => ({ name: "Billing", color: "#1f6feb" }) },
  { path: "labels.update", min: "admin", type: "mutation", input: (f) => ({ id: f.labelId, name: "Very important", color: "#000000" }) },
  { path: "labels.delete", min: "admin", type: "mutation", input: (f) => ({ id: f.labelId }) },
  { path: "cannedResponses.list", min: "viewer", type: "query" },
  { path: "cannedResponses.create", min: "admin", type: "mutation", input: () => ({ shortcut: "thanks", title: "Thanks", body: "Thank you!" }) },
  { path: "cannedResponses.update", min: "admin", type: "mutation", input: (f) => ({ id: f.cannedResponseId, body: "Hi again" }) },
  { path: "cannedResponses.delete", min: "admin", type: "mutation", input: (f) => ({ id: f.cannedResponseId }) },
  // --- H1 ---
  // Threads: everyone reads; agents and up reply, note, ingest, label and prioritise conversations.
  { path: "messages.list", min: "viewer", type: "query", input: (f) => ({ engagementId: f.engagementId }) },
  { path: "messages.send", min: "agent", type: "mutation", input: (f) => ({ engagementId: f.engagementId, body: "Happy to help", idempotencyKey: "matrix-send" }) },
  { path: "messages.note", min: "agent", type: "mutation", input: (f) => ({ engagementId: f.engagementId, body: "Called them back" }) },
  { path: "messages.ingest", min: "agent", type: "mutation", input: () => ({ channel: "chat", handle: "@lee", name: "Lee", body: "Hello?", externalId: "matrix-ext-1" }) },
  { path: "engagements.setLabels", min: "agent", type: "mutation", input: (f) => ({ id: f.engagementId, labelIds: [f.labelId] }) },
  { path: "engagements.setPriority", min: "agent", type: "mutation", input: (f) => ({ id: f.engagementId, priority: "urgent" }) },
  // --- H3 ---
  // Availability is a person's own (agents and up, never a key); everyone reads it. Routing, hours and SLA are settings.
  { path: "availability.list", min: "viewer", type: "query" },
  { path: "availability.set", min: "agent", type: "mutation", usersOnly: true, input: () => ({ status: "online" }) },
  {
    path: "tenant.update",
    note: "routing, hours, SLA",
    min: "admin",
    type: "mutation",
    usersOnly: true,
    input: () => ({
      routing: { mode: "round_robin", maxOpenPerAgent: 5 },
      businessHours: { timezone: "Europe/Berlin", days: [{ day: 1, open: "09:00", close: "17:00" }] },
      sla: { firstResponseMinutes: 60 },
    }),
  },
  { path: "analytics.summary", min: "viewer", type: "query", input: () => ({ from: "2026-01-01T00:00:00Z", to: "2026-01-31T00:00:00Z" }) },
  { path: "analytics.timeseries", min: "viewer", type: "query", input: () => ({ metric: "calls", interval: "day", from: "2026-01-01T00:00:00Z", to: "2026-01-31T00:00:00Z" }) },
  // --- H2 (issue 14) ---
  // Twilio credentials: admins read (a key too: no secret in it); only people write them (access to the telephony).
  { path: "integrations.twilio.get", min: "admin", type: "query" },
  {
    path: "integrations.twilio.set",
    min: "admin",
    type: "mutation",
    usersOnly: true,
    input: () => ({ accountSid: `AC${"ab".repeat(16)}`, authToken: "cd".repeat(16) }),
  },
  { path: "integrations.twilio.delete", min: "admin", type: "mutation", usersOnly: true },
  // --- H3 (issue 14) ---
  // AI replies are a setting (admins, people only); the tenant's own AI key like Twilio's credentials.
  {
    path: "tenant.update",
    note: "aiReplies",
    min: "admin",
    type: "mutation",
    usersOnly: true,
    input: () => ({ aiReplies: { enabled: false, channels: ["chat", "sms"], agentId: null, handoffKeywords: ["human"], maxTurns: 3 } }),
  },
  { path: "integrations.ai.get", min: "admin", type: "query" },
  { path: "integrations.ai.set", min: "admin", type: "mutation", usersOnly: true, input: () => ({ apiKey: "sk-matrix-1" }) },
  { path: "integrations.ai.delete", min: "admin", type: "mutation", usersOnly: true },
  // --- H1 (issue 14) ---
  // Webhooks: admins read (an admin key too: the secret is never in a read); only people write (they reach outside).
  { path: "webhooks.list", min: "admin", type: "query" },
  { path: "webhooks.get", min: "admin", type: "query", input: (f) => ({ id: f.webhookId }) },
  { path: "webhooks.create", min: "admin", type: "mutation", usersOnly: true, input: () => ({ url: "https://93.184.216.34/hooks", events: ["lead.created"] }) },
  { path: "webhooks.update", min: "admin", type: "mutation", usersOnly: true, input: (f) => ({ id: f.webhookId, events: ["call.created"], enabled: false }) },
  { path: "webhooks.delete", min: "admin", type: "mutation", usersOnly: true, input: (f) => ({ id: f.webhookId }) },
  { path: "webhooks.test", min: "admin", type: "mutation", usersOnly: true, input: (f) => ({ id: f.webhookId }) },
  { path: "webhooks.deliveries", min: "admin", type: "query", input: (f) => ({ webhookId: f.webhookId }) },
  { path: "webhooks.redeliver", min: "admin", type: "mutation", usersOnly: true, input: (f) => ({ deliveryId: f.webhookDeliveryId }) },
  // --- H2 (issue 15) ---
  // Privacy: admins look a person up, owners erase them, never a key; only owners decide how long data is kept.
  { path: "privacy.findContact", min: "admin", type: "query", usersOnly: true, input: () => ({ email: "LEE@matrix.test" }) },
  { path: "privacy.eraseContact", min: "owner", type: "mutation", usersOnly: true, input: (f) => ({ contactId: f.spareContactId, confirm: true }) },
  { path: "tenant.update", note: "retention", min: "owner", type: "mutation", usersOnly: true, input: () => ({ retention: { transcriptsDays: 30, messagesDays: null } }) },
  // --- H3 (issue 15) ---
  // Limits against usage: every member reads them (a key too).
  { path: "tenant.usage", min: "viewer", type: "query" },
  // --- H1 (issue 15) ---
  // Exports: admins list them (an admin key too); creating, downloading and the audit log's CSV hand data out: people only.
  { path: "exports.list", min: "admin", type: "query" },
  { path: "exports.create", min: "admin", type: "mutation", usersOnly: true, input: () => ({ kinds: ["calls", "leads"], format: "csv" }) },
  { path: "exports.download", min: "admin", type: "mutation", usersOnly: true, input: (f) => ({ id: f.exportId }) },
  { path: "audit.export", min: "admin", type: "mutation", usersOnly: true, input: () => ({ result: "success" }) },
];

// ----- callers ----------------------------------------------------------------------------------------------
type CallerName = "owner" | "admin" | "agent" | "viewer" | "adminKey" | "viewerKey" | "nonMember" | "otherOwner" | "otherKey";
const callerNames: CallerName[] = ["owner", "admin", "agent", "viewer", "adminKey", "viewerKey", "nonMember", "otherOwner", "otherKey"];

function expected(row: Row, caller: CallerName): "OK" | "FORBIDDEN" | "BAD_REQUEST" {
  const role: Role | null =
    caller === "adminKey" ? "admin" : caller === "viewerKey" ? "viewer" : (["owner", "admin", "agent", "viewer"] as const).find((r) => r === caller) ?? null;
  if (!role) return "FORBIDDEN";
  if (row.usersOnly && caller.endsWith("Key")) return "FORBIDDEN";
  return roleRank[role] >= roleRank[row.min] ? (row.allowedGets ?? "OK") : "FORBIDDEN";
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
  const [invitation] = await withScope(t.app, { tenantId: tenant.id }, (tx) =>
    tx
      .insert(invitations)
      .values({ tenantId: tenant.id, email: fresh("pending"), role: "agent", tokenHash: crypto.randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) })
      .returning(),
  );
  const domain = await withScope(t.app, { tenantId: tenant.id }, async (tx) => {
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
    const [contact, spareContact] = await tx.insert(contacts).values([{ tenantId: tenant.id, name: "Lee" }, { tenantId: tenant.id, email: "lee@matrix.test" }]).returning();
    await tx.insert(contactHandles).values({ tenantId: tenant.id, contactId: spareContact!.id, kind: "email", value: "lee@matrix.test" });
    const [label] = await tx.insert(labels).values({ tenantId: tenant.id, name: "VIP", color: "#ff0000" }).returning();
    const [canned] = await tx.insert(cannedResponses).values({ tenantId: tenant.id, shortcut: "hello", title: "Hello", body: "Hi there" }).returning();
    const [webhook] = await tx
      .insert(webhookEndpoints)
      .values({ tenantId: tenant.id, url: "https://93.184.216.34/in", events: ["ping"], secretCiphertext: "sealed (never opened here)" })
      .returning();
    const [event] = await tx.insert(webhookEvents).values({ tenantId: tenant.id, type: "ping", data: {} }).returning();
    const [delivery] = await tx
      .insert(webhookDeliveries)
      .values({ tenantId: tenant.id, webhookId: webhook!.id, eventId: event!.id, eventType: "ping", status: "failed" })
      .returning();
    const exportId = crypto.randomUUID();
    await tx.insert(dataExports).values({
      tenantId: tenant.id,
      id: exportId,
      kinds: ["calls"],
      format: "csv",
      status: "ready",
      requestedByLabel: "matrix",
      storageKey: `${tenant.id}/${exportId}.csv.gz`,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    return {
      exportId,
      agentId: agent!.id,
      callId: call!.id,
      leadId: lead!.id,
      engagementId: engagement!.id,
      contactId: contact!.id,
      spareContactId: spareContact!.id,
      labelId: label!.id,
      cannedResponseId: canned!.id,
      webhookId: webhook!.id,
      webhookDeliveryId: delivery!.id,
    };
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
    contacts: await db.select().from(contacts).where(eq(contacts.tenantId, tenantId)).orderBy(contacts.id),
    contactHandles: await db.select().from(contactHandles).where(eq(contactHandles.tenantId, tenantId)).orderBy(contactHandles.id),
    labels: await db.select().from(labels).where(eq(labels.tenantId, tenantId)).orderBy(labels.id),
    cannedResponses: await db.select().from(cannedResponses).where(eq(cannedResponses.tenantId, tenantId)).orderBy(cannedResponses.id),
    messages: await db.select().from(messages).where(eq(messages.tenantId, tenantId)).orderBy(messages.id),
    engagementLabels: await db.select().from(engagementLabels).where(eq(engagementLabels.tenantId, tenantId)).orderBy(engagementLabels.labelId),
    webhooks: await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId)).orderBy(webhookEndpoints.id),
    webhookEvents: await db.select().from(webhookEvents).where(eq(webhookEvents.tenantId, tenantId)).orderBy(webhookEvents.id),
    webhookDeliveries: await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.tenantId, tenantId)).orderBy(webhookDeliveries.id),
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
      } else if (caller === "otherKey" || want === "BAD_REQUEST") {
        // Refused before entering this tenant (the key's own tenant is another), or invalid input (not an attempt).
        expect(entries).toEqual([]);
      } else {
        expect(entries.map((e) => [e.result, e.reason])).toEqual([["denied", "FORBIDDEN"]]);
      }
    }
  });
});

// ----- outside any tenant: procedures that name their tenant in the input, or none ------------------------------
type OutsideCaller = "person" | "unverified" | "key" | "anonymous" | "platformAdmin" | "adminWithoutMfa";
const outsideCallers: OutsideCaller[] = ["person", "unverified", "key", "anonymous", "platformAdmin", "adminWithoutMfa"];

interface OutsideRow {
  path: string;
  note?: string;
  want: Record<OutsideCaller, string>;
  /** Built per call (fresh slugs, a fresh invitation for the caller's own address). */
  input?: (me: User | null, target: Tenant) => Promise<unknown> | unknown;
}

const everyoneSignedIn = { person: "OK", unverified: "OK", key: "UNAUTHORIZED", anonymous: "UNAUTHORIZED", platformAdmin: "OK", adminWithoutMfa: "OK" };
/** Platform powers (platform.*, tenants.all): platform admins with MFA; a key is FORBIDDEN (keys work data, never access). */
const platformPeople = { person: "FORBIDDEN", unverified: "FORBIDDEN", key: "FORBIDDEN", anonymous: "UNAUTHORIZED", platformAdmin: "OK", adminWithoutMfa: "FORBIDDEN" };

let slugs = 0;
/** An invitation in `target` to the caller's own address, found by id (as from invitations.mine). */
async function invitationFor(me: User | null, target: Tenant) {
  const [row] = await withScope(t.app, { tenantId: target.id }, (tx) =>
    tx
      .insert(invitations)
      .values({ tenantId: target.id, email: me?.email ?? fresh("nobody"), role: "viewer", tokenHash: crypto.randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) })
      .returning(),
  );
  return { id: row!.id };
}

const outsideRows: OutsideRow[] = [
  // Creating a tenant is access management: a key is FORBIDDEN (not asked to sign in).
  { path: "tenants.create", want: { ...everyoneSignedIn, key: "FORBIDDEN" }, input: () => ({ name: "Matrix Org", slug: `matrix-new-${++slugs}` }) },
  { path: "tenants.list", want: everyoneSignedIn },
  { path: "tenants.all", want: platformPeople },
  { path: "invitations.mine", want: { ...everyoneSignedIn, unverified: "FORBIDDEN" } },
  { path: "invitations.accept", note: "by id", want: { ...everyoneSignedIn, unverified: "FORBIDDEN" }, input: invitationFor },
  { path: "platform.tenants.list", want: platformPeople },
  { path: "platform.tenants.setPlan", want: platformPeople, input: (_me, target) => ({ tenantId: target.id, tier: "pro" }) },
  // --- H3 (issue 15) ---
  { path: "platform.tenants.get", want: platformPeople, input: (_me, target) => ({ tenantId: target.id }) },
  { path: "platform.tenants.suspend", want: platformPeople, input: (_me, target) => ({ tenantId: target.id, reason: "Matrix" }) },
  {
    path: "platform.tenants.restore",
    want: platformPeople,
    input: async (_me, target) => {
      await t.owner.db.update(tenants).set({ status: "suspended", suspendedReason: "Matrix", suspendedAt: new Date() }).where(eq(tenants.id, target.id));
      return { tenantId: target.id };
    },
  },
  { path: "platform.tenants.audit", want: platformPeople, input: (_me, target) => ({ tenantId: target.id }) },
  { path: "platform.audit", want: platformPeople },
];

describe("outside a tenant", () => {
  const outside = {} as Record<OutsideCaller, User | null>;
  let key: string;
  beforeAll(async () => {
    outside.person = await createUser(t.app, "OutPerson");
    outside.unverified = await createUser(t.app, "OutUnverified", { verified: false });
    outside.anonymous = null;
    outside.key = null;
    for (const name of ["platformAdmin", "adminWithoutMfa"] as const) {
      const u = await createUser(t.app, name);
      const mfa = name === "platformAdmin";
      await t.owner.db.update(users).set({ isPlatformAdmin: true, mfaEnabledAt: mfa ? new Date() : null }).where(eq(users.id, u.id));
      outside[name] = { ...u, isPlatformAdmin: true, mfaEnabled: mfa };
    }
    const home = await createTenantFixture(t.app, { slug: "matrix-outside-home", members: [[outside.person.id, "owner"]] });
    key = (await createKeyFixture(t.app, home.id, "admin")).key;
  });

  describe.each(outsideRows.map((r) => [`${r.path}${r.note ? ` (${r.note})` : ""}`, r] as const))("%s", (_label, row) => {
    it.each(outsideCallers.map((c) => [c, row.want[c]] as const))("%s → %s", async (caller, want) => {
      const target = await createTenantFixture(t.app, { slug: `matrix-target-${++slugs}`, tier: "free" });
      const me = outside[caller];
      const c = caller === "key" ? asKey(t.app, key) : me ? asUser(t.app, me) : plainCaller(t.app);
      const input = await row.input?.(me, target);
      const before = await snapshot(target.id);
      const got = await codeOf(callPath(c, row.path, input));
      expect(got).toBe(want);
      if (want !== "OK") expect(await snapshot(target.id)).toEqual(before);
    });
  });
});

// --- H4 (issue 14) ---
// The API reference (GET /openapi.json) states who may call each procedure, read from its base procedure's steps:
// it must say what the rows above prove, for every tenant procedure and every procedure outside a tenant.
describe("the API reference states the access this matrix proves", () => {
  it("lowest role and whether an API key may call, per procedure", async () => {
    const doc = (await openApiDocument(appRouter, { sessionCookieName: "sb_session" })) as {
      paths: Record<string, Record<string, { "x-access": { kind: string; apiKey: boolean; lowestRole: string | null } }>>;
    };
    const access = (path: string) => Object.values(doc.paths[`/trpc/${path}`] ?? {})[0]?.["x-access"];
    // Rows with a note raise the role for some inputs (inviting an owner); the procedure's lowest role is the lowest of its rows.
    for (const path of new Set(rows.map((r) => r.path))) {
      const ofPath = rows.filter((r) => r.path === path);
      const lowestRole = ofPath.map((r) => r.min).reduce((a, b) => (roleRank[b] < roleRank[a] ? b : a));
      expect(access(path), path).toEqual({ kind: "tenant", apiKey: !ofPath.some((r) => r.usersOnly), lowestRole });
    }
    for (const row of outsideRows) {
      const kind = row.want.adminWithoutMfa === "FORBIDDEN" && row.want.person === "FORBIDDEN" ? "platform" : "session";
      expect(access(row.path), row.path).toMatchObject({ kind, apiKey: false });
    }
  });
});
