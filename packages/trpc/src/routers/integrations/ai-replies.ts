/**
 * AI replies at ingest (contract v2, integrations): which conversations the tenant's chat agent answers, and the
 * `ai.reply` job queued in the ingest/create transaction (the job itself: @switchboard/jobs ai/reply-job.ts).
 *
 * AI first, people after the handoff: a new conversation on a channel AI replies cover is not routed at creation
 * (it stays unassigned while the agent answers); the handoff unassigns and routes it like a new one. A conversation
 * a person holds (assigned) or has answered, or that was handed off once, is never the agent's again.
 */
import { eq } from "drizzle-orm";
import { type Engagement, engagements, type Tenant, type Tx } from "@switchboard/db";
import { enqueue } from "@switchboard/jobs";

/** AI replies are on for this channel, with an agent to answer. */
export function aiAnswers(tenant: Pick<Tenant, "aiReplies">, channel: Engagement["channel"]): boolean {
  const ai = tenant.aiReplies;
  return Boolean(ai?.enabled && ai.agentId && ai.channels.includes(channel));
}

/**
 * Queues the agent's answer to the customer's message `messageId`, in the caller's transaction (a rollback queues
 * nothing; the job never delays the caller). `engagement`: as read under its row lock; `fresh` for one created in
 * this transaction (nobody can hold it yet). The job checks everything again when it runs.
 */
export async function queueAiReply(
  tx: Tx,
  tenant: Pick<Tenant, "id" | "aiReplies">,
  engagement: Pick<Engagement, "id" | "channel" | "assignedUserId">,
  messageId: string,
  fresh = false,
): Promise<void> {
  if (!aiAnswers(tenant, engagement.channel) || engagement.assignedUserId) return;
  if (!fresh) {
    const [row] = await tx.select({ handedOff: engagements.aiHandedOffAt }).from(engagements).where(eq(engagements.id, engagement.id));
    if (!row || row.handedOff) return;
  }
  // The customer is waiting: the worker starts at the commit, not at its next poll.
  await enqueue(tx, "ai.reply", { tenantId: tenant.id, engagementId: engagement.id, messageId }, { wake: true });
}
