/** The online migrations, in order (see runner.ts). */
import { conversations0014 } from "./0014-conversations";
import { searchUnderRls0016 } from "./0016-search-under-rls";
import { openWorkIndex0017 } from "./0017-open-work-index";
import { retentionIndexes0023 } from "./0023-retention-indexes";
import { eventForeignKeyIndexes0026 } from "./0026-event-foreign-key-indexes";
import { webhookQueueHeads0028 } from "./0028-webhook-queue-heads";
import { webhookFanOut0031 } from "./0031-webhook-fan-out";
import type { OnlineMigration } from "./runner";

export { runOnlineMigrations, type OnlineClient, type OnlineMigration } from "./runner";
export const onlineMigrations: readonly OnlineMigration[] = [conversations0014, searchUnderRls0016, openWorkIndex0017, retentionIndexes0023, eventForeignKeyIndexes0026, webhookQueueHeads0028, webhookFanOut0031];
