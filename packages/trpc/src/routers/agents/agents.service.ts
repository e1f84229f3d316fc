import { count, eq } from "drizzle-orm";
import { type Agent, agents, calls, type Features, type Tenant, type Tx } from "@switchboard/db";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { lockTenant } from "../../lib/locks";
import { forbidden, notFound, preconditionFailed } from "../../errors";
import { effectiveFeatures } from "../tenant/tenant.service";
import type { CreateAgentInput, ListAgentsInput, UpdateAgentInput } from "./agents.input";

export function agentView(a: Agent) {
  return {
    id: a.id,
    name: a.name,
    type: a.type,
    configuration: a.configuration,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
export type AgentView = ReturnType<typeof agentView>;

function assertTypeEnabled(features: Features, type: Agent["type"]) {
  const enabled = type === "voice" ? features.voiceAgents : features.chatAgents;
  if (!enabled) throw forbidden(`${type === "voice" ? "Voice" : "Chat"} agents are not enabled for this tenant`);
}

const listOrder = newestFirst(agents.createdAt, agents.id, (a: Agent) => [a.createdAt, a.id]);

export async function listAgents(tx: Tx, input: ListAgentsInput) {
  const rows = await tx
    .select()
    .from(agents)
    .where(afterCursor(input.cursor, listOrder))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, agentView);
}

export async function getAgent(tx: Tx, id: string): Promise<AgentView> {
  const [row] = await tx.select().from(agents).where(eq(agents.id, id));
  if (!row) throw notFound("Agent");
  return agentView(row);
}

export async function createAgent(tx: Tx, tenant: Tenant, input: CreateAgentInput): Promise<AgentView> {
  const features = await effectiveFeatures(tx, tenant);
  assertTypeEnabled(features, input.type);
  // Serialize creators of this tenant so two concurrent creates cannot both pass the count.
  await lockTenant(tx, "agents", tenant.id);
  const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(agents);
  if (n >= features.maxAgents) throw preconditionFailed(`This tenant may have at most ${features.maxAgents} agents`);
  const [row] = await tx.insert(agents).values({ tenantId: tenant.id, ...input }).returning();
  return agentView(row!);
}

export async function updateAgent(tx: Tx, tenant: Tenant, input: UpdateAgentInput): Promise<AgentView> {
  const { id, ...fields } = input;
  if (fields.type) assertTypeEnabled(await effectiveFeatures(tx, tenant), fields.type);
  if (Object.keys(fields).length === 0) return getAgent(tx, id);
  const [row] = await tx.update(agents).set(fields).where(eq(agents.id, id)).returning();
  if (!row) throw notFound("Agent");
  return agentView(row);
}

/** Deletes the configuration; its past calls stay, without an agent. */
export async function deleteAgent(tx: Tx, id: string): Promise<{ ok: true; id: string }> {
  await tx.update(calls).set({ agentId: null }).where(eq(calls.agentId, id));
  const [row] = await tx.delete(agents).where(eq(agents.id, id)).returning({ id: agents.id });
  if (!row) throw notFound("Agent");
  return { ok: true, id: row.id };
}
