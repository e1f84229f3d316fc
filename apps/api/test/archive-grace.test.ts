// ARCHIVE_GRACE_DAYS from the environment to tenant.current and tenant.archive, over HTTP; and the closed tenant's
// refusal as the dashboard reads it.
import { describe, expect, it } from "vitest";
import { loadEnv } from "../src/env";
import { buildTestApp, mutate, query, sessionCookie } from "./helper";

describe("ARCHIVE_GRACE_DAYS", () => {
  it("defaults to 30 and refuses what is not a whole number of days from 0 to 3650", () => {
    expect(loadEnv({}).ARCHIVE_GRACE_DAYS).toBe(30);
    expect(loadEnv({ ARCHIVE_GRACE_DAYS: "0" }).ARCHIVE_GRACE_DAYS).toBe(0);
    for (const bad of ["-1", "3651", "1.5", "soon"]) expect(() => loadEnv({ ARCHIVE_GRACE_DAYS: bad }), bad).toThrow(/ARCHIVE_GRACE_DAYS/);
  });

  it("is the grace period tenant.current announces and tenant.archive starts; then the tenant answers 403 archived", async () => {
    const t = await buildTestApp({ ARCHIVE_GRACE_DAYS: "7" });
    try {
      const owner = sessionCookie(await mutate(t.app, "auth.register", { email: "grace@http.test", password: "a long enough password", name: "G" }));
      await mutate(t.app, "tenants.create", { name: "Grace Co", slug: "grace-http" }, { cookie: owner });
      const host = "grace-http.localhost:3000";
      const current = await query(t.app, "tenant.current", undefined, { host, cookie: owner });
      expect(JSON.parse(current.body).result.data).toMatchObject({ archiveGraceDays: 7, archivedAt: null, purgeAfter: null });
      const before = Date.now();
      const archived = await mutate(t.app, "tenant.archive", { confirmSlug: "grace-http" }, { host, cookie: owner });
      expect(archived.statusCode).toBe(200);
      const { purgeAfter } = JSON.parse(archived.body).result.data as { purgeAfter: string };
      expect(Date.parse(purgeAfter) - before).toBeGreaterThanOrEqual(7 * 86_400_000);
      expect(Date.parse(purgeAfter) - before).toBeLessThan(7 * 86_400_000 + 60_000);
      const refused = await query(t.app, "tenant.current", undefined, { host, cookie: owner });
      expect(refused.statusCode).toBe(403);
      expect(JSON.parse(refused.body).error).toMatchObject({ message: "This tenant is archived", data: { code: "FORBIDDEN" } });
    } finally {
      await t.close();
    }
  });
});
