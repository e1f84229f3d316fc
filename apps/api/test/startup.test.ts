import { describe, expect, it } from "vitest";
import { assertSafeAppRole } from "@switchboard/db";
import { createTestDatabase } from "@switchboard/db/testing";
import { loadEnv } from "../src/env";

describe.runIf(process.env.SB_TEST_DATABASE_URL)("start-up role check on a real server", () => {
  it("refuses the owner/superuser and accepts the app role", async () => {
    const db = await createTestDatabase();
    try {
      await expect(assertSafeAppRole(db.ownerUrl!)).rejects.toThrow(/Refusing to start: .* is a superuser/);
      await expect(assertSafeAppRole(db.appUrl!)).resolves.toBeUndefined();
    } finally {
      await db.close();
    }
  });
});

describe("configuration", () => {
  it("stops with a message naming the bad variable", () => {
    expect(() => loadEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadEnv({ BASE_DOMAIN: "not a domain" })).toThrow(/BASE_DOMAIN/);
    expect(() => loadEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(loadEnv({}).BASE_DOMAIN).toBe("localhost");
  });
});
