/** Completes migrations/0023_data-lifecycle.sql: the retention job's partial indexes, built CONCURRENTLY. */
import { createIndexConcurrently, type OnlineMigration } from "./runner";

export const retentionIndexes0023: OnlineMigration = {
  name: "0023-retention-indexes",
  async run(client) {
    await createIndexConcurrently(
      client,
      "messages_tenant_retention_idx",
      `ON "messages" USING btree ("tenant_id","created_at") WHERE redacted_at is null`,
    );
    await createIndexConcurrently(
      client,
      "calls_tenant_transcript_retention_idx",
      `ON "calls" USING btree ("tenant_id","started_at") WHERE transcript is not null`,
    );
  },
};
