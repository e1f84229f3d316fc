/**
 * Completes migrations/0031_webhook-fan-out-after-commit.sql: the fan-out's index on the events still waiting for it
 * (a handful at any moment), built CONCURRENTLY so that recording events is never blocked by the build. Until it
 * exists the fan-out reads webhook_events sequentially.
 */
import { createIndexConcurrently, type OnlineMigration } from "./runner";

export const webhookFanOut0031: OnlineMigration = {
  name: "0031-webhook-fan-out",
  async run(client) {
    await createIndexConcurrently(
      client,
      "webhook_events_fan_out_idx",
      `ON "webhook_events" USING btree ("fan_out_seq") WHERE fan_out_seq is not null`,
    );
  },
};
