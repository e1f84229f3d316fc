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
import { effectiveFeatures } from "../tenant/tenant.service";

/**
 * AI replies are on for this channel, with an agent to answer, and chat agents are in the tenant's plan (a plan
 * lowered after AI replies were set stops them: such conversations are routed to people at once). The plan is read
 * only for a channel AI replies cover.
 */
export async function aiAnswers(tx: Tx, tenant: Tenant, channel: Engagement["channel"]): Promise<boolean> {
  const ai = tenant.aiReplies;
  if (!ai?.enabled || !ai.agentId || !ai.channels.includes(channel)) return false;
  return (await effectiveFeatures(tx, tenant)).chatAgents;
}

/**
 * Queues the agent's answer to the customer's message `messageId`, in the caller's transaction (a rollback queues
 * nothing; the job never delays the caller). `engagement`: as read under its row lock. `fresh`: a conversation this
 * transaction created after `aiAnswers` said yes (nobody can hold it yet). The job checks everything again when it runs.
 */
export async function queueAiReply(
  tx: Tx,
  tenant: Tenant,
  engagement: Pick<Engagement, "id" | "channel" | "assignedUserId">,
  messageId: string,
  fresh = false,
): Promise<void> {
  if (!fresh) {
    if (engagement.assignedUserId || !(await aiAnswers(tx, tenant, engagement.channel))) return;
    const [row] = await tx.select({ handedOff: engagements.aiHandedOffAt }).from(engagements).where(eq(engagements.id, engagement.id));
    if (!row || row.handedOff) return;
  }
  // The customer is waiting: the worker starts at the commit, not at its next poll.
  await enqueue(tx, "ai.reply", { tenantId: tenant.id, engagementId: engagement.id, messageId }, { wake: true });
}
