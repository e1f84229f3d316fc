/**
 * Completes migrations/0028_webhook-queue-heads.sql: the claim's due index on the first delivery of each queue, built
 * CONCURRENTLY, then the old one on every pending delivery dropped; then the deliveries that were waiting behind an
 * earlier one of their queue at upgrade (written before the triggers, so `ready` by default) are marked not ready,
 * one queue per short transaction under the queue's lock (the triggers' lock, so no handoff or insert interleaves).
 * Until then the claim still skips them by its check against an earlier pending delivery, at the old cost.
 */
import { createIndexConcurrently, type OnlineMigration } from "./runner";

export const webhookQueueHeads0028: OnlineMigration = {
  name: "0028-webhook-queue-heads",
  async run(client, log) {
    await createIndexConcurrently(
      client,
      "webhook_deliveries_ready_idx",
      `ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE status = 'pending' and ready`,
    );
    await client.run(`drop index concurrently if exists "webhook_deliveries_due_idx"`);
    const queues = await client.run(
      `select distinct d.tenant_id, d.webhook_id, d.order_key from webhook_deliveries d
        where d.status = 'pending' and d.ready and d.order_key is not null
          and exists (select 1 from webhook_deliveries e
                       where e.status = 'pending' and e.tenant_id = d.tenant_id and e.webhook_id = d.webhook_id
                         and e.order_key = d.order_key and e.seq < d.seq)`,
    );
    for (const q of queues) {
      const key = [q.tenant_id, q.webhook_id, q.order_key];
      await client.transaction(async (query) => {
        await query(`select lock_webhook_queue($1, $2, $3)`, key);
        // A statement after the lock: its snapshot sees every delivery of the queue committed before the lock.
        await query(
          `update webhook_deliveries set ready = false
            where tenant_id = $1 and webhook_id = $2 and order_key = $3 and status = 'pending' and ready
              and seq > (select min(seq) from webhook_deliveries
                          where tenant_id = $1 and webhook_id = $2 and order_key = $3 and status = 'pending')`,
          key,
        );
      });
    }
    if (queues.length > 0) log(`webhook deliveries: ${queues.length} queues with waiting deliveries marked`);
  },
};
