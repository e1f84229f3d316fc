import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import type { RouterOutputs } from "@switchboard/trpc";
import { expectAccessible } from "./accessibility";
import { apiAs, type ApiClient } from "./api-client";
import { describeInBrowser, heading, nav, onPhone, scrollsSideways, signInOn, unique, url, useBrowser } from "./browser";

type Engagement = RouterOutputs["engagements"]["get"];
type EngagementPage = RouterOutputs["engagements"]["list"];
type Tenant = RouterOutputs["tenants"]["create"];

/** Signs in, waits on the export job and the erasure: more than the suite's 60 s on a loaded machine. */
const JOURNEY_MS = 180_000;

/** Every conversation id in the tenant, page after page. */
async function allEngagementIds(api: ApiClient): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: EngagementPage = await api.query<EngagementPage>("engagements.list", { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const e of page.items) ids.add(e.id);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describeInBrowser("data (Settings → Data, usage)", () => {
  const page = useBrowser();

  it("an admin exports the conversations as NDJSON, watches it run and downloads the gzip file with every row", async () => {
    const admin = await apiAs("admin@acme.test", "acme");
    const subject = unique("Export me");
    const created = await admin.mutate<Engagement>("engagements.create", {
      channel: "email",
      customer: `${unique("export")}@example.test`,
      subject,
      message: "Please include this one.",
    });
    const expected = await allEngagementIds(admin);

    const p = page();
    await signInOn(p, "acme", "admin@acme.test", "Acme Corporation");
    await nav(p, "Data");
    await heading(p, "Data");
    const form = p.getByRole("form", { name: "New export" });
    await form.waitFor();
    // Conversations in NDJSON to start with; nothing else ticked.
    expect(await form.getByRole("checkbox", { name: "Conversations" }).isChecked()).toBe(true);
    expect(await form.getByRole("checkbox", { name: "Calls" }).isChecked()).toBe(false);
    expect(await form.getByRole("radio", { name: /^NDJSON/ }).isChecked()).toBe(true);
    await expectAccessible(p, "data");

    await form.getByRole("button", { name: "Start export" }).click();
    const list = p.getByRole("list", { name: "Exports" });
    const ready = list.locator('li[data-export-status="ready"]').filter({ hasText: "Conversations" }).first();
    await ready.waitFor({ timeout: 60_000 });
    expect(await ready.textContent()).toContain(`${expected.size.toLocaleString("en")} row`);
    await expectAccessible(p, "data with a ready export");

    const [download] = await Promise.all([p.waitForEvent("download"), ready.getByRole("button", { name: /^Download / }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.ndjson\.gz$/);
    const file = readFileSync((await download.path())!);
    // gzip's magic number, then one JSON object per line, each a conversation of this tenant.
    expect([...file.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const rows = gunzipSync(file)
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; id: string; subject?: string | null });
    expect(rows.every((r) => r.kind === "engagements")).toBe(true);
    expect(new Set(rows.map((r) => r.id))).toEqual(expected);
    expect(rows.find((r) => r.id === created.id)?.subject).toBe(subject);

    // Phone width: the form and the list wrap, the page does not scroll sideways.
    await onPhone(p);
    await ready.waitFor();
    expect(await scrollsSideways(p)).toBe(false);
    await expectAccessible(p, "data on a phone");
  }, JOURNEY_MS);

  it("an owner erases a contact found by e-mail, and their conversation shows erased; retention is saved", async () => {
    const admin = await apiAs("admin@acme.test", "acme");
    const email = `${unique("forget-me")}@example.test`;
    const phrase = unique("my-secret-parcel");
    const e = await admin.mutate<Engagement>("engagements.create", {
      channel: "email",
      customer: email,
      subject: `Parcel ${phrase}`,
      message: `Hello, this is about ${phrase}.`,
    });
    await admin.mutate("messages.note", { engagementId: e.id, body: `Customer mentioned ${phrase} on the phone` });

    const p = page();
    await signInOn(p, "acme", "owner@acme.test", "Acme Corporation");
    await nav(p, "Data");
    await heading(p, "Data");
    const search = p.getByRole("search", { name: "Find a contact to erase" });
    await search.getByLabel("E-mail address").fill(email.toUpperCase());
    await search.getByRole("button", { name: "Find contact" }).click();
    const found = p.getByRole("region", { name: "Contact found" });
    await found.getByTestId("erase-counts").waitFor();
    // Found whatever the case typed: the address as stored, and what an erasure would touch.
    expect(await found.textContent()).toContain(email);
    expect(await found.getByTestId("erase-counts").textContent()).toBe("1 conversation, 2 messages, 0 calls, 0 leads");
    await expectAccessible(p, "data with a contact found");

    await found.getByRole("button", { name: "Erase contact…" }).click();
    const dialog = p.getByRole("dialog", { name: "Erase this contact?" });
    const confirm = dialog.getByRole("button", { name: "Erase for good" });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(`Type ${email} to confirm`).fill("not the address");
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(`Type ${email} to confirm`).fill(email);
    await expectAccessible(p, "erase contact confirmation");
    await confirm.click();
    await p.getByRole("status").filter({ hasText: "Erased: 1 conversation, 2 messages, 0 calls, 0 leads" }).waitFor();
    await dialog.waitFor({ state: "detached" });

    // The conversation: no customer, no subject, no texts; who wrote when is kept.
    await p.goto(url("acme", `/engagements/${e.id}`));
    await heading(p, "Erased customer");
    await p.getByTestId("erased-notice").waitFor();
    const thread = p.getByRole("log", { name: "Conversation" });
    await thread.waitFor();
    expect(await thread.locator("[data-redacted]").count()).toBe(2);
    expect(await thread.getByText("Erased at the customer's request").count()).toBe(2);
    const content = await p.content();
    expect(content).not.toContain(phrase);
    expect(content).not.toContain(email);
    // Nobody can reply to a customer who is gone.
    expect(await p.getByRole("form", { name: "Composer" }).count()).toBe(0);
    await expectAccessible(p, "erased conversation");

    // The contact reads erased too.
    await p.getByRole("complementary", { name: "Details" }).getByRole("link", { name: "Erased contact" }).click();
    await heading(p, "Erased contact");
    expect(await p.getByRole("button", { name: "Edit contact" }).count()).toBe(0);
    expect(await p.content()).not.toContain(email);
    await expectAccessible(p, "erased contact");
    await onPhone(p);
    expect(await scrollsSideways(p)).toBe(false);

    // Retention: transcripts kept 30 days, message texts forever; saved and shown again after a reload.
    await p.setViewportSize({ width: 1280, height: 900 });
    await p.goto(url("acme", "/settings/data"));
    const retention = p.getByRole("form", { name: "Retention" });
    await retention.getByLabel("Delete call transcripts after (days)").fill("0");
    await retention.getByRole("button", { name: "Save retention" }).click();
    await retention.getByText("Use a whole number of days from 1 to 3650, or leave it empty").waitFor();
    await retention.getByLabel("Delete call transcripts after (days)").fill("30");
    await retention.getByRole("button", { name: "Save retention" }).click();
    await retention.getByRole("status").getByText("Saved").waitFor();
    await p.reload();
    expect(await p.getByRole("form", { name: "Retention" }).getByLabel("Delete call transcripts after (days)").inputValue()).toBe("30");
    expect(await p.getByRole("form", { name: "Retention" }).getByLabel("Delete message texts after (days)").inputValue()).toBe("");
    // Leave acme keeping everything, as the other journeys expect.
    await (await apiAs("owner@acme.test", "acme")).mutate("tenant.update", { retention: null });
  }, JOURNEY_MS);

  it("an owner archives a department: the purge date is shown before and after, and its members are shut out", async () => {
    const owner = await apiAs("owner@acme.test", "acme");
    const acme = await owner.query<RouterOutputs["tenant"]["current"]>("tenant.current");
    const slug = unique("arch").toLowerCase();
    await owner.mutate<Tenant>("tenants.create", { name: "Closing department", slug, parentId: acme.id });

    const inDepartment = await apiAs("owner@acme.test", slug);
    const { archiveGraceDays } = await inDepartment.query<RouterOutputs["tenant"]["current"]>("tenant.current");

    // Sessions are per host: the owner signs in on the department's own address.
    const p = page();
    await signInOn(p, slug, "owner@acme.test", "Closing department");
    await nav(p, "Data");
    await heading(p, "Data");
    const section = p.getByRole("region", { name: "Archive" });
    await section.getByText(`After ${archiveGraceDays} days`).waitFor();
    await section.getByRole("button", { name: "Archive department…" }).click();
    const dialog = p.getByRole("dialog", { name: "Archive this department?" });
    await dialog.getByLabel("Department address").fill("not-it");
    expect(await dialog.getByRole("button", { name: "Archive", exact: true }).isDisabled()).toBe(true);
    await dialog.getByLabel("Department address").fill(slug);
    await expectAccessible(p, "archive confirmation");
    await dialog.getByRole("button", { name: "Archive", exact: true }).click();
    const done = p.getByRole("dialog", { name: "The department is archived" });
    await done.getByText("Its data will be deleted on").waitFor();
    await expectAccessible(p, "archived");
    await done.getByRole("button", { name: "Go to your tenants" }).click();
    await p.waitForURL((u) => u.hostname === "localhost");
    // Archived: refused to its members from now on.
    await expect(inDepartment.query("tenant.current")).rejects.toThrow(/HTTP 403 .*This tenant is archived/);
  }, JOURNEY_MS);

  it("a viewer has no Data entry and sees the usage page; an admin looks a contact up but only owners erase", async () => {
    const p = page();
    await signInOn(p, "acme", "viewer@acme.test", "Acme Corporation");
    const main = p.getByRole("navigation", { name: "Main" });
    await main.getByRole("link", { name: "Usage", exact: true }).waitFor();
    expect(await main.getByRole("link", { name: "Data", exact: true }).count()).toBe(0);
    await nav(p, "Usage");
    await heading(p, "Usage");
    const seats = p.getByRole("meter", { name: "Seats" });
    await seats.waitFor();
    expect(Number(await seats.getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(4);
    await p.getByRole("meter", { name: "AI agents" }).waitFor();
    await p.getByRole("meter", { name: "API requests this minute" }).waitFor();
    await p.getByText("Retry-After").waitFor();
    await expectAccessible(p, "usage");
    await onPhone(p);
    expect(await scrollsSideways(p)).toBe(false);
    await p.setViewportSize({ width: 1280, height: 900 });

    await p.goto(url("acme", "/settings/data"));
    await heading(p, "Data");
    await p.getByText("Only admins and owners manage the tenant's data").waitFor();
    expect(await p.getByRole("form", { name: "New export" }).count()).toBe(0);
    await expectAccessible(p, "data for a viewer");

    const admin = await apiAs("admin@acme.test", "acme");
    const email = `${unique("looked-up")}@example.test`;
    await admin.mutate("engagements.create", { channel: "email", customer: email, message: "Just a question." });
    const q = page();
    await q.context().clearCookies();
    await signInOn(q, "acme", "admin@acme.test", "Acme Corporation");
    await nav(q, "Data");
    await q.getByRole("search", { name: "Find a contact to erase" }).getByLabel("E-mail address").fill(email);
    await q.getByRole("button", { name: "Find contact" }).click();
    const found = q.getByRole("region", { name: "Contact found" });
    await found.getByText("Only owners erase contacts.").waitFor();
    expect(await found.getByRole("button", { name: "Erase contact…" }).count()).toBe(0);
    expect(await q.getByRole("region", { name: "Archive" }).count()).toBe(0);
    const form = q.getByRole("form", { name: "Retention" });
    expect(await form.getByRole("button", { name: "Save retention" }).count()).toBe(0);
    await expectAccessible(q, "data for an admin");
  }, JOURNEY_MS);
});
