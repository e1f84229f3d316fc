/**
 * The demo's AI replies (`pnpm start`, first run, after the seed): Acme's first chat agent answers web chats, and
 * one visitor's chat waits for it, so the first start shows an answer from the provider (without AI_BASE_URL, the
 * built-in echo provider, which says it is one). Written through the ingest service, so the job is queued exactly
 * as for a real chat.
 */
import { asc, eq } from "drizzle-orm";
import { agents, type DbHandle, tenants, withScope } from "@switchboard/db";
import { ingestMessage } from "../messages/messages.service";

export async function seedAiRepliesDemo(db: DbHandle, slug = "acme"): Promise<boolean> {
  const [found] = await withScope(db, { tenantSlug: slug }, (tx) => tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug)));
  if (!found) return false;
  return withScope(db, { tenantId: found.id }, async (tx) => {
    const [agent] = await tx.select({ id: agents.id }).from(agents).where(eq(agents.type, "chat")).orderBy(asc(agents.createdAt), asc(agents.id)).limit(1);
    if (!agent) return false;
    const [tenant] = await tx
      .update(tenants)
      .set({ aiReplies: { enabled: true, channels: ["chat"], agentId: agent.id, handoffKeywords: ["human", "refund"], maxTurns: 3 } })
      .where(eq(tenants.id, found.id))
      .returning();
    await ingestMessage(tx, tenant!, {
      channel: "chat",
      handle: "demo-visitor",
      name: "Demo visitor",
      body: "Hi! Can your assistant help me track my order?",
      externalId: "demo-ai-replies-1",
    });
    return true;
  });
}
