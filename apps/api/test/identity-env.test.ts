// Identity settings: ENCRYPTION_KEY (required in production, a development key kept in the data directory),
// PLATFORM_ADMIN_EMAILS and AUTH_RATE_LIMIT_PER_MINUTE, as loadEnv and encryptionKeys read them.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSecretBox } from "@switchboard/auth";
import { encryptionKeys } from "../src/encryption-key";
import { loadEnv } from "../src/env";
import { buildTestApp, mutate } from "./helper";

describe("identity settings", () => {
  it("ENCRYPTION_KEY is required in production and must be 32 bytes; several keys rotate", () => {
    expect(() => loadEnv({ NODE_ENV: "production" })).toThrow(/ENCRYPTION_KEY: required when NODE_ENV=production/);
    expect(() => loadEnv({ ENCRYPTION_KEY: "short" })).toThrow(/ENCRYPTION_KEY: must be 32 random bytes/);
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const env = loadEnv({ NODE_ENV: "production", WORKER: "false", ENCRYPTION_KEY: `${a.toString("base64")},${b.toString("hex")}` });
    expect(env.ENCRYPTION_KEY).toEqual([a, b]);
    expect(encryptionKeys(env)).toEqual([a, b]);
  });

  it("without ENCRYPTION_KEY, development makes one key beside the data directory and keeps it", () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-key-"));
    const env = loadEnv({ NODE_ENV: "development", DATA_DIR: join(dir, "pglite") });
    const first = encryptionKeys(env);
    expect(first).toHaveLength(1);
    expect(statSync(join(dir, "encryption-key")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "encryption-key"), "utf8").trim()).toBe(first[0]!.toString("base64url"));
    const sealed = createSecretBox(first).seal("secret", "c");
    expect(createSecretBox(encryptionKeys(env)).open(sealed, "c")).toBe("secret"); // the same key on restart
  });

  it("PLATFORM_ADMIN_EMAILS is a lower-cased list; AUTH_RATE_LIMIT_PER_MINUTE defaults to 20", () => {
    const env = loadEnv({ PLATFORM_ADMIN_EMAILS: " Boss@Example.test, ops@example.test ,," });
    expect(env.PLATFORM_ADMIN_EMAILS).toEqual(["boss@example.test", "ops@example.test"]);
    expect(env.AUTH_RATE_LIMIT_PER_MINUTE).toBe(20);
    expect(loadEnv({}).PLATFORM_ADMIN_EMAILS).toEqual([]);
    expect(() => loadEnv({ PLATFORM_ADMIN_EMAILS: "not an address" })).toThrow(/PLATFORM_ADMIN_EMAILS/);
    expect(() => loadEnv({ AUTH_RATE_LIMIT_PER_MINUTE: "-1" })).toThrow(/AUTH_RATE_LIMIT_PER_MINUTE/);
  });
});

describe("AUTH_RATE_LIMIT_PER_MINUTE over HTTP", () => {
  it("answers 429 with Retry-After past the limit per address", async () => {
    const t = await buildTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: "2" });
    try {
      const ask = () => mutate(t.app, "auth.requestPasswordReset", { email: "someone@example.test" });
      expect((await ask()).statusCode).toBe(200);
      expect((await ask()).statusCode).toBe(200);
      const refused = await ask();
      expect(refused.statusCode).toBe(429);
      const retryAfter = Number(refused.headers["retry-after"]);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    } finally {
      await t.close();
    }
  });
});
