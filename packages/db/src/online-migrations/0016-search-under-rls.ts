/**
 * Completes migrations/0016_search-under-rls.sql: builds the subject search index again where that migration
 * dropped its early coalesce() form (a no-op where the online step 0014 already built the current one).
 */
import { SUBJECT_SEARCH_INDEX } from "./0014-conversations";
import { createIndexConcurrently, type OnlineMigration } from "./runner";

export const searchUnderRls0016: OnlineMigration = {
  name: "0016-search-under-rls",
  async run(client) {
    await createIndexConcurrently(client, "engagements_subject_search_idx", SUBJECT_SEARCH_INDEX);
  },
};
