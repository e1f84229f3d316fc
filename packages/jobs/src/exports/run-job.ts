/**
 * `exports.run`: one tenant's export, written by streaming. Each kind is read from a server-side cursor in the
 * tenant's scope (NDJSON on PostgreSQL: lines built by PostgreSQL, read as raw bytes, driver/raw-cursor.ts; otherwise
 * DECLARE/FETCH, cursor.ts), turned into NDJSON lines or CSV records, gzip-compressed and written to the store as it
 * goes: memory holds one batch, never the export. The file's layout:
 * - NDJSON: one `<id>.ndjson.gz`, one JSON object per line, `{"kind":"calls",…}` first in each (several kinds follow
 *   one another in the order asked);
 * - CSV of one kind: `<id>.csv.gz`; of several kinds: `<id>.tar.gz` with one `<kind>.csv` per kind. A tar member's
 *   size comes before its bytes, so each kind's CSV is spooled to a file on disk first, then copied in.
 * `rows` and `bytes` (compressed so far) are written about once a second while it runs. A retry (the process died,
 * the store failed) starts the file again from the beginning; after the last attempt the export is `failed` with a
 * reason for the admin. When ready, the tenant's owners and admins are mailed a link to Settings → Data.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Transform, type Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { and, eq } from "drizzle-orm";
import { type DataExport, dataExports, type DbHandle, type Tx, withScope } from "@switchboard/db";
import type { Attempt } from "../ai/reply-job";
import { rawCursor } from "../driver/raw-cursor";
import { mailTenantAdmins } from "../mail/admin-mail";
import { csvLine } from "./csv";
import { readInBatches } from "./cursor";
import { csvHeader, csvQuery, type ExportKind, ndjsonQuery, ndjsonText } from "./sources";
import { exportKey, type ExportStore } from "./store";
import { tarEnd, tarHeader, tarPadding } from "./tar";

export interface ExportJobOptions {
  store: ExportStore;
  /** A tenant's dashboard URL for the ready mail (`http://acme.localhost:3000/settings/data`). */
  tenantLink(slug: string, path: string): string;
  /**
   * Where a CSV export of several kinds spools each kind, uncompressed, while it is written (default: the OS temp
   * dir). As large as the export's largest kind: somewhere with room (the API puts it in EXPORTS_DIR when it can).
   */
  spoolDir?: string;
}

export interface ExportJobDeps extends ExportJobOptions {
  db: DbHandle;
}

/** Rows fetched from the cursor at a time (a few megabytes of lines at most). */
const batchSize = 1000;
/** gzip level: within a few percent of 6's size at about half its CPU (measured in bench/README.md, "Exports"). */
const gzipLevel = 3;
const progressEveryMs = 1000;
/** Where the dashboard shows exports (apps/web features/data). */
export const exportsPagePath = "/settings/data";
const failedReason = "The export could not be written. Create it again; if this keeps happening, contact support.";

export function extensionOf(e: Pick<DataExport, "format" | "kinds">): string {
  return e.format === "ndjson" ? "ndjson.gz" : e.kinds.length === 1 ? "csv.gz" : "tar.gz";
}

const newline = Buffer.from("\n");

/** Writes into `target` with backpressure; rejects as soon as `done` (the pipeline behind it) fails. */
function writerTo(target: Writable, done: Promise<unknown>) {
  const failed = done.then(() => new Promise<never>(() => {}));
  failed.catch(() => {});
  return async (chunk: string | Buffer) => {
    if (!target.write(chunk)) await Promise.race([once(target, "drain"), failed]);
  };
}

export async function runExport(deps: ExportJobDeps, job: { tenantId: string; exportId: string }, attempt: Attempt) {
  const { db } = deps;
  const { tenantId, exportId } = job;
  const claimed = await withScope(db, { tenantId }, async (tx) => {
    const [row] = await tx
      .select()
      .from(dataExports)
      .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, exportId)))
      .for("update");
    if (!row || row.status === "ready" || row.status === "failed") return null;
    await tx
      .update(dataExports)
      .set({ status: "running", startedAt: new Date(), rows: 0, bytes: 0, error: null })
      .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, exportId)));
    return row;
  });
  if (!claimed) return { skipped: "not pending" };

  let rows = 0;
  let bytes = 0;
  let lastProgress = Date.now();
  // On PGlite (one connection) the cursor's transaction holds it: progress is written at the end only.
  const progress = async () => {
    if (db.kind !== "postgres" || Date.now() - lastProgress < progressEveryMs) return;
    lastProgress = Date.now();
    await withScope(db, { tenantId }, (tx) =>
      tx.update(dataExports).set({ rows, bytes }).where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, exportId))),
    );
  };

  const key = exportKey(tenantId, exportId, extensionOf(claimed));
  try {
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const writing = Promise.all([pipeline(body, createGzip({ level: gzipLevel }), counted), deps.store.write(key, counted)]);
    writing.catch(() => {});
    const put = writerTo(body, writing);
    try {
      await writeKinds(deps, claimed, put, async (n) => {
        rows += n;
        await progress();
      });
      body.end();
      await writing;
    } catch (err) {
      body.destroy(err as Error);
      await writing.catch(() => {});
      throw err;
    }
  } catch (err) {
    const last = attempt.retryCount >= attempt.retryLimit;
    await withScope(db, { tenantId }, (tx) =>
      tx
        .update(dataExports)
        .set(last ? { status: "failed", error: failedReason, finishedAt: new Date() } : { status: "pending" })
        .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, exportId))),
    );
    throw err;
  }

  await withScope(db, { tenantId }, async (tx) => {
    const [done] = await tx
      .update(dataExports)
      .set({ status: "ready", rows, bytes, storageKey: key, finishedAt: new Date() })
      .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, exportId)))
      .returning();
    await mailAdmins(tx, deps, done!);
  });
  return { rows, bytes };
}

async function writeKinds(
  deps: ExportJobDeps,
  e: DataExport,
  put: (chunk: string | Buffer) => Promise<void>,
  counted: (rows: number) => Promise<void>,
) {
  const scoped = (fn: (tx: Tx) => Promise<void>) => withScope(deps.db, { tenantId: e.tenantId }, fn);
  if (e.format === "ndjson") {
    for (const kind of e.kinds) {
      await scoped(async (tx) => {
        // PostgreSQL: each line's bytes as sent (driver/raw-cursor.ts). PGlite: DECLARE/FETCH.
        const raw = rawCursor(deps.db, tx, ndjsonText(kind, e.tenantId), batchSize);
        if (raw) {
          for await (const batch of raw) {
            const parts: Buffer[] = [];
            for (const [line] of batch) parts.push(line!, newline);
            await put(Buffer.concat(parts));
            await counted(batch.length);
          }
          return;
        }
        await readInBatches<{ line: string }>(tx, ndjsonQuery(kind, e.tenantId), batchSize, async (batch) => {
          let text = "";
          for (const r of batch) text += `${r.line}\n`;
          await put(text);
          await counted(batch.length);
        });
      });
    }
    return;
  }
  const csvOf = async (kind: ExportKind, into: (chunk: string) => Promise<void>) => {
    await into(csvLine(csvHeader(kind)));
    await scoped((tx) =>
      readInBatches<Record<string, string | null>>(tx, csvQuery(kind, e.tenantId), batchSize, async (batch) => {
        let text = "";
        for (const r of batch) text += csvLine(Object.values(r));
        await into(text);
        await counted(batch.length);
      }),
    );
  };
  if (e.kinds.length === 1) {
    await csvOf(e.kinds[0]!, put);
    return;
  }
  const spoolDir = deps.spoolDir ?? tmpdir();
  await mkdir(spoolDir, { recursive: true });
  for (const kind of e.kinds) {
    const path = join(spoolDir, `switchboard-export-${e.id}-${kind}.csv`);
    try {
      const spool = createWriteStream(path);
      const spooled = finished(spool);
      spooled.catch(() => {});
      await csvOf(kind, writerTo(spool, spooled));
      spool.end();
      await spooled;
      const size = spool.bytesWritten;
      await put(tarHeader(`${kind}.csv`, size, new Date()));
      for await (const chunk of createReadStream(path)) await put(chunk as Buffer);
      await put(tarPadding(size));
    } finally {
      await unlink(path).catch(() => {});
    }
  }
  await put(tarEnd());
}

/** The tenant's owners and admins hear that the export is ready, in the transaction that says so. */
function mailAdmins(tx: Tx, deps: ExportJobDeps, e: DataExport) {
  return mailTenantAdmins(tx, e.tenantId, (to, tenant) => ({
    template: "export-ready",
    to,
    tenantName: tenant.name,
    kinds: e.kinds,
    rows: e.rows,
    expiresAt: e.expiresAt,
    link: deps.tenantLink(tenant.slug, exportsPagePath),
  }));
}
