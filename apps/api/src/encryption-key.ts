/**
 * The keys that seal secrets at rest: ENCRYPTION_KEY when set (required in production, see env.ts). Without it,
 * tests use a key made for this process, and development (`pnpm start`, `pnpm dev`) makes one on first start
 * and keeps it beside the embedded database (`.data/encryption-key`, mode 0600), so MFA set up locally keeps
 * working across restarts. Losing that file only means setting MFA up again.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { generateEncryptionKey, parseEncryptionKey } from "@switchboard/auth";
import type { Env } from "./env";

let processKey: Buffer | null = null;

export function encryptionKeys(env: Pick<Env, "ENCRYPTION_KEY" | "NODE_ENV" | "DATA_DIR">): Buffer[] {
  if (env.ENCRYPTION_KEY) return env.ENCRYPTION_KEY;
  if (env.NODE_ENV === "production") throw new Error("ENCRYPTION_KEY is required when NODE_ENV=production");
  if (env.NODE_ENV === "test") return [(processKey ??= randomBytes(32))];
  const file = join(dirname(resolve(env.DATA_DIR)), "encryption-key");
  try {
    return [parseEncryptionKey(readFileSync(file, "utf8"))];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = generateEncryptionKey();
  // `wx`: if another process made it first, use theirs.
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return [parseEncryptionKey(readFileSync(file, "utf8"))];
}
