import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactHandles, contacts, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createTenantWithRoles } from "../../testing";
import { calls } from "@switchboard/db";
import { contactForHandle, contactForHandles, mergeContacts } from "./contacts.service";

let t: TestDatabase;
let tenantId: string;
let otherId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tenantId = (await createTenantWithRoles(t.app, "match-acme")).tenant.id;
  otherId = (await createTenantWithRoles(t.app, "match-other")).tenant.id;
});
afterAll(() => t?.close());

const inTenant = <T>(id: string, fn: Parameters<typeof withScope<T>>[2]) => withScope(t.app, { tenantId: id }, fn);

async function contactRow(id: string) {
  return inTenant(tenantId, async (tx) => {
    const [row] = await tx.select().from(contacts).where(eq(contacts.id, id));
    const handles = await tx
      .select({ kind: contactHandles.kind, value: contactHandles.value })
      .from(contactHandles)
      .where(eq(contactHandles.contactId, id))
      .orderBy(contactHandles.kind);
    return { ...row!, handles };
  });
}

describe("contactForHandle", () => {
  it("matches a handle by its normal form: e-mail case, phone formats, @handles", async () => {
    const byMail = await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "email", value: " Ada@Example.COM ", name: "Ada" }));
    const again = await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "email", value: "ada@example.com" }));
    expect(again).toBe(byMail);
    expect(await contactRow(byMail)).toMatchObject({ name: "Ada", email: "ada@example.com", phone: null, handles: [{ kind: "email", value: "ada@example.com" }] });

    const byPhone = await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "phone", value: "+1 (555) 000-1111" }));
    for (const form of ["+15550001111", "+1 555-000-1111", "001 555 000 1111"]) {
      expect(await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "phone", value: form }))).toBe(byPhone);
    }
    expect(await contactRow(byPhone)).toMatchObject({ name: null, email: null, phone: "+15550001111" });

    const tw = await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "twitter", value: "@AdaL" }));
    expect(await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "twitter", value: "adal" }))).toBe(tw);
    // The same text under another kind is another handle.
    expect(await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "chat", value: "adal" }))).not.toBe(tw);
  });

  it("fills an empty name from a later match, never overwrites one", async () => {
    const id = await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "chat", value: "visitor-1" }));
    await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "chat", value: "visitor-1", name: "Grace" }));
    await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "chat", value: "visitor-1", name: "Someone else" }));
    expect((await contactRow(id)).name).toBe("Grace");
  });

  it("matches by the first known handle and adds the others when free", async () => {
    const phoneOnly = await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "phone", value: "+44 20 7946 0958" }));
    const taken = await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "email", value: "taken@example.com" }));
    // Known by phone: the free e-mail joins that contact and fills its e-mail.
    const matched = await inTenant(tenantId, (tx) =>
      contactForHandles(tx, tenantId, [
        { kind: "email", value: "Linus@Example.com" },
        { kind: "phone", value: "00442079460958" },
      ]),
    );
    expect(matched).toBe(phoneOnly);
    expect(await contactRow(phoneOnly)).toMatchObject({
      email: "linus@example.com",
      phone: "+442079460958",
      handles: [
        { kind: "email", value: "linus@example.com" },
        { kind: "phone", value: "+442079460958" },
      ],
    });
    // An e-mail owned by someone else stays theirs; the new phone creates nothing extra on them.
    const other = await inTenant(tenantId, (tx) =>
      contactForHandles(tx, tenantId, [
        { kind: "email", value: "taken@example.com" },
        { kind: "phone", value: "+15557770000" },
      ]),
    );
    expect(other).toBe(taken);
    expect((await contactRow(taken)).handles).toEqual([
      { kind: "email", value: "taken@example.com" },
      { kind: "phone", value: "+15557770000" },
    ]);
  });

  it("refuses an empty handle", async () => {
    await expect(inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "twitter", value: " @ " }))).rejects.toMatchObject({
      kind: "BAD_REQUEST",
    });
  });

  it("keeps tenants apart: the same handle is another contact in another tenant", async () => {
    const mine = await inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "email", value: "shared@example.com" }));
    const theirs = await inTenant(otherId, (tx) => contactForHandle(tx, otherId, { kind: "email", value: "shared@example.com" }));
    expect(theirs).not.toBe(mine);
  });

  it.runIf(process.env.SB_TEST_DATABASE_URL)("two concurrent creations with one handle end with one contact", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    // The first transaction claims the handle and stays open; the second, meanwhile, finds no handle yet and tries
    // to claim it too, waiting on the first's uncommitted row.
    const first = inTenant(tenantId, async (tx) => {
      const id = await contactForHandle(tx, tenantId, { kind: "phone", value: "+1 555 010 9999", name: "First" });
      firstInserted();
      await held;
      return id;
    });
    await inserted;
    const second = inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "phone", value: "+15550109999", name: "Second" }));
    await new Promise((r) => setTimeout(r, 200));
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBe(a);
    const all = await t.owner.db.select().from(contactHandles).where(eq(contactHandles.value, "+15550109999"));
    expect(all).toHaveLength(1);
    const people = await t.owner.db.select().from(contacts).where(eq(contacts.tenantId, tenantId));
    expect(people.filter((c) => c.phone === "+15550109999").map((c) => c.name)).toEqual(["First"]);

    // And many at once, without any ordering help.
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) => inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "email", value: i % 2 ? "Burst@x.test" : "burst@X.test" }))),
    );
    expect(new Set(ids).size).toBe(1);
    const burst = await t.owner.db.select().from(contacts).where(eq(contacts.email, "burst@x.test"));
    expect(burst).toHaveLength(1);
  });

  it.runIf(process.env.SB_TEST_DATABASE_URL)("a match racing a merge ends on the surviving contact, whichever commits first", async () => {
    const phone = async (value: string) => inTenant(tenantId, (tx) => contactForHandle(tx, tenantId, { kind: "phone", value }));
    const callFor = (contactId: string) =>
      async (tx: Parameters<Parameters<typeof withScope>[2]>[0]) => {
        await tx.insert(calls).values({ tenantId, contactId, direction: "inbound", customerPhone: "+15550207777" });
      };

    // The merge first: the match waits for it, then finds the handle moved to the survivor.
    const merged = await phone("+15550207777");
    const survivor = await phone("+15550208888");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let mergedNow!: () => void;
    const locked = new Promise<void>((resolve) => (mergedNow = resolve));
    const merge = inTenant(tenantId, async (tx) => {
      await mergeContacts(tx, tenantId, { id: merged, intoId: survivor });
      mergedNow();
      await held;
    });
    await locked;
    const match = inTenant(tenantId, async (tx) => {
      const id = await contactForHandle(tx, tenantId, { kind: "phone", value: "+1 555 020 7777" });
      await callFor(id)(tx);
      return id;
    });
    await new Promise((r) => setTimeout(r, 200));
    release();
    await merge;
    expect(await match).toBe(survivor);

    // The match first: the merge waits for its commit, then moves the new call too.
    const second = await phone("+15550209999");
    let releaseMatch!: () => void;
    const matchHeld = new Promise<void>((resolve) => (releaseMatch = resolve));
    let matched!: () => void;
    const matchedNow = new Promise<void>((resolve) => (matched = resolve));
    const early = inTenant(tenantId, async (tx) => {
      const id = await contactForHandle(tx, tenantId, { kind: "phone", value: "+15550209999" });
      await callFor(id)(tx);
      matched();
      await matchHeld;
      return id;
    });
    await matchedNow;
    const late = inTenant(tenantId, (tx) => mergeContacts(tx, tenantId, { id: second, intoId: survivor }));
    await new Promise((r) => setTimeout(r, 200));
    releaseMatch();
    expect(await early).toBe(second);
    expect((await late).moved.calls).toBe(1);
    const left = await t.owner.db.select().from(calls).where(eq(calls.contactId, second));
    expect(left).toEqual([]);
  });
});
