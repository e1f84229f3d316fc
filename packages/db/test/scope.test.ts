// The scope API: withScope writes every setting (those it is not given empty), setScope only the ones it names,
// tenantScope narrows to one tenant keeping the user. Policies read these settings, so this is what RLS sees.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setScope, tenantScope, type Tx, withScope } from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const names = [
  "tenant_id",
  "parent_tenant_id",
  "user_id",
  "tenant_slug",
  "api_key_hash",
  "invitation_token_hash",
] as const;

async function settings(tx: Tx): Promise<Record<(typeof names)[number], string>> {
  const result = await tx.execute(
    sql`select ${sql.join(
      names.map((n) => sql`coalesce(current_setting(${`app.${n}`}, true), '') as ${sql.identifier(n)}`),
      sql`, `,
    )}`,
  );
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as Record<
    string,
    string
  >[];
  return rows[0] as Record<(typeof names)[number], string>;
}

const user = crypto.randomUUID();
const tenant = crypto.randomUUID();
const parent = crypto.randomUUID();

describe("scope settings", () => {
  it("withScope writes every setting: the ones it is not given are empty", async () => {
    const seen = await withScope(t.app, { tenantSlug: "acme", userId: user }, settings);
    expect(seen).toEqual({
      tenant_id: "",
      parent_tenant_id: "",
      user_id: user,
      tenant_slug: "acme",
      api_key_hash: "",
      invitation_token_hash: "",
    });
  });

  it("setScope(tx, tenantScope(t)) narrows to the tenant: slug and token scopes cleared, the user kept", async () => {
    const seen = await withScope(
      t.app,
      { tenantSlug: "acme", apiKeyHash: "k", invitationTokenHash: "i", userId: user },
      async (tx) => {
        await setScope(tx, tenantScope({ id: tenant, parentId: parent }));
        return settings(tx);
      },
    );
    expect(seen).toEqual({
      tenant_id: tenant,
      parent_tenant_id: parent,
      user_id: user,
      tenant_slug: "",
      api_key_hash: "",
      invitation_token_hash: "",
    });
  });

  it("setScope writes only the settings it names (null clears one); an empty scope changes nothing", async () => {
    const seen = await withScope(
      t.app,
      { tenantId: tenant, parentTenantId: parent, userId: user },
      async (tx) => {
        await setScope(tx, {});
        await setScope(tx, { tenantId: null, parentTenantId: null, apiKeyHash: "k" });
        return settings(tx);
      },
    );
    expect(seen).toEqual({
      tenant_id: "",
      parent_tenant_id: "",
      user_id: user,
      tenant_slug: "",
      api_key_hash: "k",
      invitation_token_hash: "",
    });
  });

  it("settings end with the transaction: the next one on a pooled connection starts empty", async () => {
    await withScope(t.app, { tenantId: tenant, userId: user }, async () => {});
    const seen = await Promise.all(Array.from({ length: 4 }, () => withScope(t.app, {}, settings)));
    for (const s of seen) expect(Object.values(s).every((v) => v === "")).toBe(true);
  });
});
