import { count, eq } from "drizzle-orm";
import { type Agent, type AgentConfiguration, agents, calls, type Features, type Tenant, type Tx } from "@switchboard/db";
import { checkOutboundUrl, OutboundUrlError } from "@switchboard/jobs";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { lockTenant } from "../../lib/locks";
import { badRequest, forbidden, notFound, preconditionFailed } from "../../errors";
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

/** What the ai.reply job needs to send to a tenant-supplied address (WEBHOOKS_ALLOW_HTTP_LOCALHOST). */
export interface OutboundRules {
  allowHttpLocalhost: boolean;
}

/**
 * A provider's baseUrl is an address the tenant supplies, like a webhook URL: the same rules apply when it is saved
 * (here) and again whenever the job connects (DNS answers change).
 */
async function checkProvider(configuration: AgentConfiguration | undefined, rules: OutboundRules): Promise<void> {
  const baseUrl = configuration?.provider?.baseUrl;
  if (!baseUrl) return;
  try {
    await checkOutboundUrl(baseUrl, { allowHttpLocalhost: rules.allowHttpLocalhost });
  } catch (err) {
    if (err instanceof OutboundUrlError) throw badRequest(`provider.baseUrl: ${err.message}`);
    throw err;
  }
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

export async function createAgent(tx: Tx, tenant: Tenant, input: CreateAgentInput, rules: OutboundRules): Promise<AgentView> {
  const features = await effectiveFeatures(tx, tenant);
  assertTypeEnabled(features, input.type);
  await checkProvider(input.configuration, rules);
  // Serialize creators of this tenant so two concurrent creates cannot both pass the count.
  await lockTenant(tx, "agents", tenant.id);
  const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(agents);
  if (n >= features.maxAgents) throw preconditionFailed(`This tenant may have at most ${features.maxAgents} agents`);
  const [row] = await tx.insert(agents).values({ tenantId: tenant.id, ...input }).returning();
  return agentView(row!);
}

export async function updateAgent(tx: Tx, tenant: Tenant, input: UpdateAgentInput, rules: OutboundRules): Promise<AgentView> {
  const { id, ...fields } = input;
  if (fields.type) assertTypeEnabled(await effectiveFeatures(tx, tenant), fields.type);
  if (fields.type === "voice" && tenant.aiReplies?.agentId === id) {
    throw preconditionFailed("This agent answers AI replies: choose another chat agent there first");
  }
  await checkProvider(fields.configuration, rules);
  if (Object.keys(fields).length === 0) return getAgent(tx, id);
  const [row] = await tx.update(agents).set(fields).where(eq(agents.id, id)).returning();
  if (!row) throw notFound("Agent");
  return agentView(row);
}

/** Deletes the configuration; its past calls stay, without an agent. The agent answering AI replies stays. */
export async function deleteAgent(tx: Tx, tenant: Tenant, id: string): Promise<{ ok: true; id: string }> {
  if (tenant.aiReplies?.agentId === id) {
    throw preconditionFailed("This agent answers AI replies: choose another agent there or turn AI replies off first");
  }
  await tx.update(calls).set({ agentId: null }).where(eq(calls.agentId, id));
  const [row] = await tx.delete(agents).where(eq(agents.id, id)).returning({ id: agents.id });
  if (!row) throw notFound("Agent");
  return { ok: true, id: row.id };
}
