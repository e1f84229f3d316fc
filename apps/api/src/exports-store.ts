/**
 * The export store both the worker (writes) and the download route (reads) use: the S3-compatible bucket when
 * EXPORTS_S3_BUCKET is set, else the directory EXPORTS_DIR (default .data/exports).
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { directoryStore, type ExportStore, s3Store } from "@switchboard/jobs";
import type { Env } from "./env";

type StoreEnv = Pick<
  Env,
  "EXPORTS_DIR" | "EXPORTS_S3_BUCKET" | "EXPORTS_S3_ENDPOINT" | "EXPORTS_S3_REGION" | "EXPORTS_S3_ACCESS_KEY_ID" | "EXPORTS_S3_SECRET_ACCESS_KEY"
>;

export function exportStoreOf(env: StoreEnv): ExportStore {
  if (!env.EXPORTS_S3_BUCKET) return directoryStore(env.EXPORTS_DIR);
  return s3Store({
    bucket: env.EXPORTS_S3_BUCKET,
    region: env.EXPORTS_S3_REGION,
    endpoint: env.EXPORTS_S3_ENDPOINT,
    accessKeyId: env.EXPORTS_S3_ACCESS_KEY_ID,
    secretAccessKey: env.EXPORTS_S3_SECRET_ACCESS_KEY,
  });
}

/**
 * Where a CSV export of several kinds spools each kind while it is written (as large as the largest kind,
 * uncompressed): beside the files in EXPORTS_DIR (a volume with room), or the temp dir with a bucket.
 */
export function exportSpoolDirOf(env: Pick<Env, "EXPORTS_DIR" | "EXPORTS_S3_BUCKET">): string {
  return env.EXPORTS_S3_BUCKET ? tmpdir() : join(env.EXPORTS_DIR, ".spool");
}
