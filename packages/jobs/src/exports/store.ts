/**
 * Where export files live. A store writes a whole file from a stream (visible only once complete), reads it back
 * (whole or a byte range) and removes it. `directoryStore(dir)`: files under `dir` (a PVC in the chart), written as
 * `<key>.part-<random>` and renamed into place when complete, so a reader never sees half a file and a crashed
 * write leaves only a `.part` that the next run of the same export does not use.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface StoredFile {
  size: number;
  /** The bytes from `start` to `end` inclusive (the whole file by default). */
  read(range?: { start: number; end: number }): Readable;
}

export interface ExportStore {
  /** Where the files are, for logs (never credentials). */
  readonly description: string;
  /** Writes `key` from `source`; the file exists under `key` only once all of it is written. */
  write(key: string, source: Readable): Promise<void>;
  /** The file under `key`, or null when there is none. */
  open(key: string): Promise<StoredFile | null>;
  /** Removes `key`; a missing file is not an error. */
  remove(key: string): Promise<void>;
}

/** `<tenant id>/<export id>.<ext>`: the only keys the job writes (a key never names a path outside the store). */
export const exportKeyPattern = /^[0-9a-f-]{36}\/[0-9a-f-]{36}\.(?:ndjson\.gz|csv\.gz|tar\.gz)$/;

export function exportKey(tenantId: string, exportId: string, extension: string): string {
  const key = `${tenantId}/${exportId}.${extension}`;
  if (!exportKeyPattern.test(key)) throw new Error("not an export key");
  return key;
}

export function directoryStore(dir: string): ExportStore {
  const pathOf = (key: string) => {
    if (!exportKeyPattern.test(key)) throw new Error("not an export key");
    return join(dir, key);
  };
  return {
    description: `directory ${dir}`,
    async write(key, source) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const part = `${path}.part-${randomBytes(6).toString("hex")}`;
      try {
        await pipeline(source, createWriteStream(part, { flags: "wx" }));
        await rename(part, path);
      } catch (err) {
        await unlink(part).catch(() => {});
        throw err;
      }
    },
    async open(key) {
      const path = pathOf(key);
      const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return null;
        throw err;
      });
      if (!info?.isFile()) return null;
      return { size: info.size, read: (range) => createReadStream(path, range ? { start: range.start, end: range.end } : {}) };
    },
    async remove(key) {
      await unlink(pathOf(key)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "ENOENT") throw err;
      });
    },
  };
}
