/** The export store both the worker (writes) and the download route (reads) use: EXPORTS_DIR (default .data/exports). */
import { directoryStore, type ExportStore } from "@switchboard/jobs";
import type { Env } from "./env";

export function exportStoreOf(env: Pick<Env, "EXPORTS_DIR">): ExportStore {
  return directoryStore(env.EXPORTS_DIR);
}
