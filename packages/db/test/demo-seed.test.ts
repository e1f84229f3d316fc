/**
 * The demo seed's accounts: the members of every role, and a platform admin only when asked for (the embedded demo),
 * never by `pnpm db:seed` on a real database, where a known password must not open the platform's powers.
 */
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_PLATFORM_ADMIN, seed, users, withScope } from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

const hashPassword = async (p: string) => `test-hash:${p}`;
let t: TestDatabase | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function platformAdminRow(db: TestDatabase) {
  const rows = await withScope(db.app, {}, (tx) =>
    tx
      .select({ isPlatformAdmin: users.isPlatformAdmin, verified: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.email, DEMO_PLATFORM_ADMIN.email)),
  );
  return rows[0] ?? null;
}

describe("the demo seed", () => {
  it("seeds the platform admin, verified and flagged, when asked, and names it in its result", async () => {
    t = await createTestDatabase();
    const result = await seed(t.app, { hashPassword, domainSeeders: [], platformAdmin: true });
    expect(result.platformAdmin).toEqual({ email: DEMO_PLATFORM_ADMIN.email });
    const row = await platformAdminRow(t);
    expect(row?.isPlatformAdmin).toBe(true);
    expect(row?.verified).toBeInstanceOf(Date);
    // A second start finds the demo and says the same.
    expect((await seed(t.app, { hashPassword, domainSeeders: [], platformAdmin: true })).platformAdmin).toEqual({
      email: DEMO_PLATFORM_ADMIN.email,
    });
  });

  it("seeds no platform admin by default (pnpm db:seed)", async () => {
    t = await createTestDatabase();
    const result = await seed(t.app, { hashPassword, domainSeeders: [] });
    expect(result.platformAdmin).toBeNull();
    expect(result.logins.length).toBeGreaterThan(0);
    expect(await platformAdminRow(t)).toBeNull();
  });
});
