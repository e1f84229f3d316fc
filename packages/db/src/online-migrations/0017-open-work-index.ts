/** Completes migrations/0017_open-work-index.sql: the partial index on open conversations, built CONCURRENTLY. */
import { createIndexConcurrently, type OnlineMigration } from "./runner";

export const openWorkIndex0017: OnlineMigration = {
  name: "0017-open-work-index",
  async run(client) {
    await createIndexConcurrently(
      client,
      "engagements_tenant_assignee_open_idx",
      `ON "engagements" USING btree ("tenant_id","assigned_user_id") WHERE resolved_at is null`,
    );
  },
};
