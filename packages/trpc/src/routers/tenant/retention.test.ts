import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, tenants } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asUser, codeOf, createTenantFixture, createUser } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

describe("tenant.update { retention }", () => {
  it("an owner sets how long transcripts and message bodies are kept; absent fields stay, null keeps forever", async () => {
    const owner = await createUser(t.app, "Keeper");
    const tenant = await createTenantFixture(t.app, { slug: "keep-co", members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "keep-co");
    expect((await o.tenant.current()).retention).toEqual({ transcriptsDays: null, messagesDays: null });

    expect((await o.tenant.update({ retention: { transcriptsDays: 30 } })).retention).toEqual({ transcriptsDays: 30, messagesDays: null });
    expect((await o.tenant.update({ retention: { messagesDays: 365 } })).retention).toEqual({ transcriptsDays: 30, messagesDays: 365 });
    expect((await o.tenant.update({ name: "Keep Co" })).retention).toEqual({ transcriptsDays: 30, messagesDays: 365 });
    expect((await o.tenant.update({ retention: { transcriptsDays: null } })).retention).toEqual({ transcriptsDays: null, messagesDays: 365 });
    expect((await o.tenant.current()).retention).toEqual({ transcriptsDays: null, messagesDays: 365 });

    // Nothing limited any more is stored as null: the retention job's tenant list skips it.
    await o.tenant.update({ retention: { messagesDays: null } });
    const [row] = await t.owner.db.select({ retention: tenants.retention }).from(tenants).where(eq(tenants.id, tenant.id));
    expect(row!.retention).toBeNull();
    await o.tenant.update({ retention: { transcriptsDays: 7, messagesDays: 7 } });
    expect((await o.tenant.update({ retention: null })).retention).toEqual({ transcriptsDays: null, messagesDays: null });
  });

  it("only an owner: an admin is FORBIDDEN (audited as denied) and nothing changes", async () => {
    const owner = await createUser(t.app, "RetOwner");
    const admin = await createUser(t.app, "RetAdmin");
    const tenant = await createTenantFixture(t.app, { slug: "ret-roles", members: [[owner.id, "owner"], [admin.id, "admin"]] });
    await asUser(t.app, owner, "ret-roles").tenant.update({ retention: { transcriptsDays: 90 } });
    const a = asUser(t.app, admin, "ret-roles");
    expect(await codeOf(a.tenant.update({ retention: { transcriptsDays: 1 } }))).toBe("FORBIDDEN");
    expect(await codeOf(a.tenant.update({ name: "Renamed", retention: null }))).toBe("FORBIDDEN");
    const current = await a.tenant.current();
    expect(current.retention).toEqual({ transcriptsDays: 90, messagesDays: null });
    expect(current.name).toBe("ret-roles");
    const denied = await t.owner.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, "tenant.update"), eq(auditLog.result, "denied")));
    expect(denied).toHaveLength(2);
    // Other settings stay the admins'.
    expect((await a.tenant.update({ name: "Renamed" })).name).toBe("Renamed");
  });

  it("refuses days outside 1..3650, fractions and unknown keys", async () => {
    const owner = await createUser(t.app, "RetInput");
    await createTenantFixture(t.app, { slug: "ret-input", members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "ret-input");
    for (const retention of [{ transcriptsDays: 0 }, { messagesDays: 3651 }, { messagesDays: 1.5 }, { messagesDays: "30" }, { callsDays: 3 }]) {
      expect(await codeOf(o.tenant.update({ retention } as never)), JSON.stringify(retention)).toBe("BAD_REQUEST");
    }
    expect((await o.tenant.current()).retention).toEqual({ transcriptsDays: null, messagesDays: null });
  });
});
