import { afterAll, beforeAll, expect, it } from "vitest";
import type { RouterOutputs } from "@switchboard/trpc";
import { expectAccessible } from "./accessibility";
import { apiAs, type ApiClient } from "./api-client";
import { describeInBrowser, heading, nav, onPhone, scrollsSideways, signInOn, unique, url, useBrowser } from "./browser";
import { hasValidSignature, type LocalServer, startLocalServer } from "./receiver";

type Webhooks = RouterOutputs["webhooks"]["list"];

/** Signs in, waits on the dispatcher and a redelivery: more than the suite's 60 s on a loaded machine. */
const JOURNEY_MS = 180_000;

describeInBrowser("webhooks", () => {
  const page = useBrowser();
  let receiver: LocalServer;
  let admin: ApiClient;

  beforeAll(async () => {
    receiver = await startLocalServer((_r, res) => res.writeHead(204).end());
    admin = await apiAs("admin@acme.test", "acme");
  });

  afterAll(async () => {
    // Leave acme without this journey's endpoints: other journeys' changes would be sent to a closed port.
    const list = await admin?.query<Webhooks>("webhooks.list", { limit: 100 });
    for (const w of list?.items.filter((w) => w.url.startsWith(receiver.url)) ?? []) await admin.mutate("webhooks.delete", { id: w.id });
    await receiver?.close();
  });

  it("an admin adds an endpoint (secret shown once), sends a test and sees the ping delivered in the log, then redelivers it", async () => {
    const path = `/${unique("hook")}`;
    const endpoint = `${receiver.url}${path}`;
    const p = page();
    await signInOn(p, "acme", "admin@acme.test", "Acme Corporation");
    await nav(p, "Integrations");
    await heading(p, "Integrations");
    await p.getByRole("list", { name: "Webhook endpoints" }).or(p.getByText("Add an endpoint to receive")).first().waitFor();
    await expectAccessible(p, "integrations");

    await p.getByRole("button", { name: "Add endpoint" }).click();
    const form = p.getByRole("form", { name: "Add endpoint" });
    await form.getByLabel("Endpoint URL").fill(endpoint);
    await form.getByLabel("Description").fill("Journey receiver");
    await form.getByRole("checkbox", { name: /^ping/ }).check();
    await expectAccessible(p, "add webhook endpoint");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secretBox = p.getByTestId("new-webhook-secret");
    await secretBox.waitFor();
    const secret = (await secretBox.textContent()) ?? "";
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    await expectAccessible(p, "webhook secret, shown once");
    await p.getByRole("button", { name: "I have copied it" }).click();
    await secretBox.waitFor({ state: "detached" });
    // Never shown again: not in the list, not after a reload.
    const row = p.getByRole("list", { name: "Webhook endpoints" }).getByRole("listitem").filter({ hasText: endpoint });
    await row.waitFor();
    expect(await row.getByText("Active").count()).toBe(1);
    expect(await p.content()).not.toContain(secret);

    // Send test → the ping arrives at the receiver, signed with that secret.
    await row.getByRole("button", { name: "Send test to Journey receiver" }).click();
    await row.getByRole("status").getByText("Ping queued").waitFor();
    const ping = await receiver.waitFor((r) => r.path === path);
    expect(hasValidSignature(secret, ping)).toBe(true);
    expect(JSON.parse(ping.body)).toMatchObject({ type: "ping" });

    // The log shows it delivered: one attempt, the receiver's 204.
    await row.getByRole("link", { name: "See it in the delivery log" }).click();
    await heading(p, "Webhook deliveries");
    expect(await p.getByTestId("webhook-url").textContent()).toBe(endpoint);
    const log = p.getByRole("table", { name: "Deliveries" });
    const delivered = log.locator('tr[data-delivery-status="delivered"]').filter({ hasText: "ping" });
    await delivered.waitFor({ timeout: 20_000 });
    expect(await delivered.getByRole("cell").nth(2).textContent()).toBe("1");
    expect(await delivered.getByRole("cell").nth(3).textContent()).toBe("HTTP 204");
    await expectAccessible(p, "webhook delivery log");

    // Redeliver sends the same event again (the same webhook-id), and the log settles back on delivered.
    await delivered.getByRole("button", { name: /^Redeliver ping/ }).click();
    await receiver.waitFor((r) => r.path === path && r !== ping && r.headers["webhook-id"] === ping.headers["webhook-id"]);
    await p.getByRole("combobox", { name: "Status" }).selectOption("delivered");
    await log.locator('tr[data-delivery-status="delivered"]').first().waitFor();
    expect(await log.locator('tr[data-delivery-status="pending"]').count()).toBe(0);

    // Phone width: the log's table scrolls inside its own region, the page does not.
    await onPhone(p);
    await log.waitFor();
    expect(await scrollsSideways(p)).toBe(false);
    await expectAccessible(p, "webhook delivery log on a phone");
  }, JOURNEY_MS);

  it("an admin disables an endpoint: nothing is sent to it until it is enabled again", async () => {
    const path = `/${unique("hook")}`;
    const created = await admin.mutate<{ id: string }>("webhooks.create", { url: `${receiver.url}${path}`, events: ["lead.created"], description: "Leads feed" });
    const p = page();
    await signInOn(p, "acme", "admin@acme.test", "Acme Corporation");
    await nav(p, "Integrations");
    const row = p.getByRole("list", { name: "Webhook endpoints" }).getByRole("listitem").filter({ hasText: "Leads feed" });
    await row.getByRole("button", { name: "Disable Leads feed" }).click();
    await row.getByText("Disabled", { exact: true }).waitFor();
    await expectAccessible(p, "integrations with a disabled endpoint");

    await admin.mutate("leads.create", { name: "Nobody hears this" });
    await row.getByRole("button", { name: "Enable Leads feed" }).click();
    await row.getByText("Active", { exact: true }).waitFor();
    await admin.mutate("leads.create", { name: "Everybody hears this" });
    const sent = await receiver.waitFor((r) => r.path === path);
    expect(sent.body).toContain("Everybody hears this");
    expect(receiver.received.filter((r) => r.path === path).some((r) => r.body.includes("Nobody hears this"))).toBe(false);
    expect((await admin.query<Webhooks>("webhooks.list", { limit: 100 })).items.find((w) => w.id === created.id)?.enabled).toBe(true);

    // Edited: another description and one more event; then deleted, log and all.
    await row.getByRole("button", { name: "Edit Leads feed" }).click();
    const form = p.getByRole("form", { name: "Save endpoint" });
    expect(await form.getByRole("checkbox", { name: /^lead\.created/ }).isChecked()).toBe(true);
    await form.getByLabel("Description").fill("Leads and calls feed");
    await form.getByRole("checkbox", { name: /^call\.created/ }).check();
    await expectAccessible(p, "edit webhook endpoint");
    await form.getByRole("button", { name: "Save endpoint" }).click();
    const edited = p.getByRole("list", { name: "Webhook endpoints" }).getByRole("listitem").filter({ hasText: "Leads and calls feed" });
    await edited.getByText("call.created, lead.created").waitFor();
    await edited.getByRole("button", { name: "Delete Leads and calls feed" }).click();
    await expectAccessible(p, "delete webhook endpoint");
    await p.getByRole("dialog").getByRole("button", { name: "Delete endpoint" }).click();
    await edited.waitFor({ state: "detached" });
    await expect
      .poll(async () => (await admin.query<Webhooks>("webhooks.list", { limit: 100 })).items.some((w) => w.id === created.id), { timeout: 10_000 })
      .toBe(false);
  }, JOURNEY_MS);

  it("a viewer has no Integrations entry, and the page says who manages it", async () => {
    const p = page();
    await signInOn(p, "acme", "viewer@acme.test", "Acme Corporation");
    const main = p.getByRole("navigation", { name: "Main" });
    await main.getByRole("link", { name: "Settings", exact: true }).waitFor();
    expect(await main.getByRole("link", { name: "Integrations", exact: true }).count()).toBe(0);
    await p.goto(url("acme", "/integrations"));
    await heading(p, "Integrations");
    await p.getByText("Only admins and owners manage integrations.").waitFor();
    expect(await p.getByRole("button", { name: "Add endpoint" }).count()).toBe(0);
    await expectAccessible(p, "integrations for a viewer");
  }, JOURNEY_MS);
});
