/**
 * `ai.reply`: a customer's message in a conversation that AI replies cover is answered by the tenant's chat agent,
 * or the conversation goes to people (handoff). Queued by the ingest/create transaction (messages and engagements
 * services), so it never delays ingest; it runs in three steps so no transaction is held open while the provider
 * thinks:
 * 1. read (tenant scope): the setting, the conversation, the thread, the agent and the tenant's own key; decide
 *    skip (no longer ours to answer), hand off (keyword, asking for a person, maxTurns, no agent) or ask;
 * 2. ask the provider (outside any transaction; a tenant's baseUrl under the outbound address rules);
 * 3. write (tenant scope, the conversation's row lock): record the tokens, check again that the conversation is
 *    still the agent's and that no newer customer message came (its own job answers the whole thread), then post
 *    the answer, or hand off when the model asked to.
 * A provider failure is thrown for pg-boss to retry with backoff; the last attempt (or a failure retrying cannot
 * fix: a wrong key, a refused address) hands off instead.
 *
 * Writing to the thread belongs to the messages and engagements services (events, webhooks), which live above this
 * package: the worker passes them in as `AiThread`.
 */
import { and, count, desc, eq, sql } from "drizzle-orm";
import { agents, aiUsage, type DbHandle, engagements, integrations, messages, type Tenant, tenants, type Tx, withScope } from "@switchboard/db";
import type { JobData } from "../queues";
import { buildPrompt, handoffFromCustomer, handoffNote, type HandoffReason, MAX_THREAD_MESSAGES, modelHandsOff, type ThreadEntry } from "./conversation";
import { chatCompletion, type ChatMessage, type Completion, type Endpoint, ProviderError } from "./provider";

/** The thread writers of the messages and engagements services (apps/api/src/worker.ts passes them in). */
export interface AiThread {
  /** The agent's answer as an outbound `ai_agent` message (events, webhooks); the same key twice adds nothing. */
  postReply(tx: Tx, tenant: Tenant, reply: { engagementId: string; agent: { id: string; name: string }; body: string; idempotencyKey: string }): Promise<void>;
  /** To people: `aiHandedOffAt` set, unassigned, routed per the tenant's routing, a note in the thread for the team. */
  handOff(tx: Tx, tenant: Tenant, engagementId: string, note: string): Promise<void>;
}

/** The deployment's provider (AI_BASE_URL, AI_API_KEY, AI_MODEL). `baseUrl` "echo": the built-in echo provider; null: none. */
export interface AiDefaults {
  baseUrl: string | null;
  apiKey: string | null;
  model: string;
}

export interface AiReplyOptions {
  defaults: AiDefaults;
  /** AI_TIMEOUT_SECONDS: one provider call at most. */
  timeoutSeconds: number;
  /** WEBHOOKS_ALLOW_HTTP_LOCALHOST: an agent's baseUrl may be http://127.0.0.1 (development and tests). */
  allowHttpLocalhost: boolean;
  /** Opens the tenant's sealed key (auth's secret box); throws when it cannot. */
  openSecret(ciphertext: string, context: string): string;
  thread: AiThread;
}

export interface AiReplyDeps extends AiReplyOptions {
  db: DbHandle;
}

/** pg-boss's attempt counters for this job. */
export interface Attempt {
  retryCount: number;
  retryLimit: number;
}

type Data = JobData<"ai.reply">;

/** The idempotency key of the agent's answer to one customer message. */
export const replyKey = (messageId: string) => `ai-reply:${messageId}`;
/** Where a tenant's own AI key is sealed (the integrations service seals it under the same context). */
export const aiKeyContext = (tenantId: string) => `integration:ai:${tenantId}`;

type Plan =
  | { kind: "skip"; reason: string }
  | { kind: "handoff"; reason: HandoffReason; detail?: string }
  | { kind: "ask"; endpoint: Endpoint; model: string; messages: ChatMessage[]; agent: { id: string; name: string } };

/** Why the conversation is no longer the agent's to answer, or its channel when it still is. */
async function notOurs(tx: Tx, tenant: Tenant, data: Data): Promise<{ why: string } | { why: null; channel: string }> {
  const why = (reason: string) => ({ why: reason });
  const ai = tenant.aiReplies;
  const [e] = await tx
    .select({ channel: engagements.channel, status: engagements.status, assignedUserId: engagements.assignedUserId, aiHandedOffAt: engagements.aiHandedOffAt })
    .from(engagements)
    .where(eq(engagements.id, data.engagementId));
  if (!e) return why("the conversation is gone");
  if (!ai?.enabled || !ai.channels.includes(e.channel)) return why("AI replies are off for this channel");
  if (e.aiHandedOffAt) return why("handed off already");
  if (e.assignedUserId) return why("a person has the conversation");
  if (e.status === "resolved") return why("resolved");
  const [latest] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.engagementId, data.engagementId), eq(messages.kind, "inbound")))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  if (latest?.id !== data.messageId) return why("a newer message is answered instead");
  const [handled] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.engagementId, data.engagementId),
        eq(messages.kind, "outbound"),
        sql`(${messages.authorType} <> 'ai_agent' or ${messages.idempotencyKey} = ${replyKey(data.messageId)})`,
      ),
    )
    .limit(1);
  return handled ? why("answered already") : { why: null, channel: e.channel };
}

async function tenantRow(tx: Tx, tenantId: string): Promise<Tenant | undefined> {
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
  return tenant;
}

/** A tenant's own key opens only under its own context; one sealed under a retired ENCRYPTION_KEY counts as unset. */
async function tenantKey(tx: Tx, deps: AiReplyDeps, tenantId: string): Promise<string | null> {
  const [row] = await tx
    .select({ secret: integrations.secretCiphertext })
    .from(integrations)
    .where(and(eq(integrations.tenantId, tenantId), eq(integrations.provider, "ai")));
  if (!row) return null;
  try {
    return deps.openSecret(row.secret, aiKeyContext(tenantId));
  } catch {
    return null;
  }
}

/**
 * A tenant's baseUrl gets only the tenant's own key (never the deployment's: it would leave for an address the
 * tenant chose); the deployment's endpoint gets the tenant's key when it has one, else AI_API_KEY.
 */
export function endpointFor(defaults: AiDefaults, agentBaseUrl: string | undefined, ownKey: string | null): Endpoint | null {
  if (agentBaseUrl) return { kind: "openai", baseUrl: agentBaseUrl, apiKey: ownKey, trusted: false };
  if (defaults.baseUrl === "echo") return { kind: "echo" };
  if (!defaults.baseUrl) return null;
  return { kind: "openai", baseUrl: defaults.baseUrl, apiKey: ownKey ?? defaults.apiKey, trusted: true };
}

async function plan(tx: Tx, deps: AiReplyDeps, data: Data): Promise<Plan> {
  const tenant = await tenantRow(tx, data.tenantId);
  if (!tenant) return { kind: "skip", reason: "the tenant is gone" };
  const state = await notOurs(tx, tenant, data);
  if (state.why !== null) return { kind: "skip", reason: state.why };
  const ai = tenant.aiReplies!;
  const [agent] = ai.agentId ? await tx.select().from(agents).where(and(eq(agents.id, ai.agentId), eq(agents.type, "chat"))) : [];
  if (!agent) return { kind: "handoff", reason: "no agent" };
  const recent = await tx
    .select({ kind: messages.kind, authorType: messages.authorType, body: messages.body })
    .from(messages)
    .where(eq(messages.engagementId, data.engagementId))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(MAX_THREAD_MESSAGES);
  const thread: ThreadEntry[] = recent.reverse();
  const customerSaid = thread.findLast((m) => m.kind === "inbound")?.body ?? "";
  const fromCustomer = handoffFromCustomer(customerSaid, ai.handoffKeywords);
  if (fromCustomer) return { kind: "handoff", reason: fromCustomer };
  const [{ turns } = { turns: 0 }] = await tx
    .select({ turns: count() })
    .from(messages)
    .where(and(eq(messages.engagementId, data.engagementId), eq(messages.kind, "outbound"), eq(messages.authorType, "ai_agent")));
  if (turns >= ai.maxTurns) return { kind: "handoff", reason: "max turns" };
  const provider = agent.configuration.provider;
  const endpoint = endpointFor(deps.defaults, provider?.baseUrl, await tenantKey(tx, deps, tenant.id));
  if (!endpoint) return { kind: "handoff", reason: "provider error", detail: "no AI provider is configured" };
  return {
    kind: "ask",
    endpoint,
    model: provider?.model ?? deps.defaults.model,
    messages: buildPrompt(agent.configuration, state.channel, thread),
    agent: { id: agent.id, name: agent.name },
  };
}

/** Locks the conversation (every writer of an engagement takes this lock first) and says whether it is still ours. */
async function lockAndCheck(tx: Tx, data: Data): Promise<{ tenant: Tenant; why: string | null } | null> {
  const tenant = await tenantRow(tx, data.tenantId);
  if (!tenant) return null;
  await tx.select({ id: engagements.id }).from(engagements).where(eq(engagements.id, data.engagementId)).for("update");
  return { tenant, why: (await notOurs(tx, tenant, data)).why };
}

async function handOff(deps: AiReplyDeps, data: Data, reason: HandoffReason, detail?: string) {
  return withScope(deps.db, { tenantId: data.tenantId }, async (tx) => {
    const locked = await lockAndCheck(tx, data);
    if (!locked || locked.why) return { skipped: locked?.why ?? "the tenant is gone" };
    await deps.thread.handOff(tx, locked.tenant, data.engagementId, handoffNote(reason, detail));
    return { handedOff: reason };
  });
}

async function recordUsage(tx: Tx, data: Data, agentId: string, c: Completion) {
  await tx.insert(aiUsage).values({
    tenantId: data.tenantId,
    agentId,
    engagementId: data.engagementId,
    model: c.model,
    promptTokens: c.promptTokens,
    completionTokens: c.completionTokens,
  });
}

export async function runAiReply(deps: AiReplyDeps, data: Data, attempt: Attempt) {
  const next = await withScope(deps.db, { tenantId: data.tenantId }, (tx) => plan(tx, deps, data));
  if (next.kind === "skip") return { skipped: next.reason };
  if (next.kind === "handoff") return handOff(deps, data, next.reason, next.detail);

  let completion: Completion;
  try {
    completion = await chatCompletion(next.endpoint, next.model, next.messages, {
      timeoutMs: deps.timeoutSeconds * 1000,
      allowHttpLocalhost: deps.allowHttpLocalhost,
    });
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    if (err.retryable && attempt.retryCount < attempt.retryLimit) throw err;
    return handOff(deps, data, "provider error", err.message);
  }

  return withScope(deps.db, { tenantId: data.tenantId }, async (tx) => {
    await recordUsage(tx, data, next.agent.id, completion);
    const locked = await lockAndCheck(tx, data);
    if (!locked || locked.why) return { skipped: locked?.why ?? "the tenant is gone", tokens: completion.promptTokens + completion.completionTokens };
    if (modelHandsOff(completion.content)) {
      await deps.thread.handOff(tx, locked.tenant, data.engagementId, handoffNote("model handed off"));
      return { handedOff: "model handed off" };
    }
    await deps.thread.postReply(tx, locked.tenant, {
      engagementId: data.engagementId,
      agent: next.agent,
      body: completion.content,
      idempotencyKey: replyKey(data.messageId),
    });
    return { answered: true, model: completion.model, promptTokens: completion.promptTokens, completionTokens: completion.completionTokens };
  });
}
