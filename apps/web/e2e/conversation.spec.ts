import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RouterOutputs } from "@switchboard/trpc";
import { expectAccessible } from "./accessibility";
import { apiAs, type ApiClient } from "./api-client";
import { describeInBrowser, nav, secondBrowser, signInOn, unique, url, useBrowser } from "./browser";

type Engagement = RouterOutputs["engagements"]["get"];

/** Each journey signs in one to three people and waits on live events: more than the suite's 60 s on a loaded machine. */
const JOURNEY_MS = 180_000;

/** A new e-mail conversation in acme, created by an integration (the admin's API session). */
async function newConversation(api: ApiClient, subject: string, message = "Hello, my order 1042 has not arrived.") {
  const customer = `${unique("cust")}@example.test`;
  const e = await api.mutate<Engagement>("engagements.create", { channel: "email", customer, subject, message });
  return { ...e, customer };
}

/** Opens a conversation from the inbox (the row's link) and waits for its thread. */
async function openFromInbox(p: Page, customer: string) {
  await nav(p, "Engagements");
  await p.getByRole("table", { name: "Engagements" }).getByRole("link", { name: customer }).click();
  await p.getByRole("log", { name: "Conversation" }).waitFor();
}

const composer = (p: Page) => p.getByRole("form", { name: "Composer" });

describeInBrowser("conversations", () => {
  const page = useBrowser();
  let admin: ApiClient;
  let agent: ApiClient;
  let owner: ApiClient;

  beforeAll(async () => {
    [admin, agent, owner] = await Promise.all([
      apiAs("admin@acme.test", "acme"),
      apiAs("agent@acme.test", "acme"),
      apiAs("owner@acme.test", "acme"),
    ]);
  });

  afterAll(async () => {
    // Leave acme as the other journeys expect it: manual routing, nobody online.
    await admin?.mutate("tenant.update", { routing: null });
    await Promise.all([admin, agent, owner].map((c) => c?.mutate("availability.set", { status: "offline" })));
  });

  it("an agent opens a conversation, replies with a canned response and adds an internal note", async () => {
    const shortcut = unique("ship").toLowerCase();
    const body = `Your parcel left our warehouse today (${shortcut}).`;
    await admin.mutate("cannedResponses.create", { shortcut, title: "Shipped today", body });
    const e = await newConversation(admin, "Where is my parcel?");

    const p = page();
    await signInOn(p, "acme", "agent@acme.test", "Acme Corporation");
    await nav(p, "Engagements");
    await p.getByRole("table", { name: "Engagements" }).waitFor();
    await expectAccessible(p, "inbox");
    await openFromInbox(p, e.customer);
    await p.getByRole("heading", { level: 1, name: "Where is my parcel?" }).waitFor();
    const thread = p.getByRole("log", { name: "Conversation" });
    await thread.locator('[data-entry="customer"]').getByText("my order 1042 has not arrived").waitFor();
    await p.getByRole("region", { name: "Contact" }).getByText(e.customer).waitFor();
    await expectAccessible(p, "conversation");

    // `/` + the shortcut's first letters lists it; Enter puts its body in the reply.
    const reply = composer(p).getByLabel("Reply");
    await reply.pressSequentially(`/${shortcut.slice(0, 6)}`);
    const option = p.getByRole("listbox", { name: "Canned responses" }).getByRole("option", { name: new RegExp(shortcut) });
    await option.waitFor();
    await expectAccessible(p, "conversation with the canned responses open");
    await reply.press("Enter");
    expect(await reply.inputValue()).toBe(body);
    await composer(p).getByRole("button", { name: "Send reply" }).click();
    await thread.locator('[data-entry="agent"]').getByText(body).waitFor();
    expect(await reply.inputValue()).toBe("");

    // A note: marked internal, styled apart.
    await composer(p).getByRole("button", { name: "Note" }).click();
    await composer(p).getByLabel("Internal note").fill("Customer asked twice; check the courier tomorrow.");
    await composer(p).getByRole("button", { name: "Add note" }).click();
    const note = thread.getByRole("listitem", { name: /^Internal note by Alice Agent/ });
    await note.getByText("check the courier tomorrow").waitFor();
    await expectAccessible(p, "conversation with a note");

    // Replying opened it (new → open) and the API has both entries in order.
    await p.getByRole("complementary", { name: "Details" }).getByLabel("Status").waitFor();
    expect(await p.getByRole("complementary", { name: "Details" }).getByLabel("Status").inputValue()).toBe("open");
    const messages = await agent.query<RouterOutputs["messages"]["list"]>("messages.list", { engagementId: e.id });
    expect(messages.items.map((m) => m.kind)).toEqual(["inbound", "outbound", "note"]);
  }, JOURNEY_MS);

  it("a second agent's browser shows the reply live, and the inbox marks the conversation unread", async () => {
    const e = await newConversation(admin, "Invoice copy please", "Could you send me a copy of invoice 77?");
    const p = page();
    await signInOn(p, "acme", "agent@acme.test", "Acme Corporation");
    await openFromInbox(p, e.customer);

    // The teammate (Adam, an admin) watches the same conversation in another browser…
    const other = await secondBrowser();
    try {
      const q = other.page;
      await signInOn(q, "acme", "admin@acme.test", "Acme Corporation");
      await q.goto(url("acme", `/engagements/${e.id}`));
      const theirThread = q.getByRole("log", { name: "Conversation" });
      await theirThread.getByText("copy of invoice 77").waitFor();

      await composer(p).getByLabel("Reply").fill("Attached: invoice 77. Anything else?");
      await composer(p).getByRole("button", { name: "Send reply" }).click();
      // …and sees the reply without reloading (engagements.onEvent `message`).
      await theirThread.locator('[data-entry="agent"]').getByText("Attached: invoice 77").waitFor({ timeout: 10_000 });

      // Back in the inbox, a later customer message marks the row unread; opening it clears the marker.
      await nav(q, "Engagements");
      const row = q.getByRole("table", { name: "Engagements" }).getByRole("row").filter({ hasText: e.customer });
      await row.waitFor();
      await q.getByRole("status", { name: "Live updates: live" }).waitFor();
      await admin.mutate("messages.ingest", {
        channel: "email",
        handle: e.customer,
        body: "Thanks! One more question.",
        externalId: unique("mail"),
      });
      await row.getByRole("link", { name: `${e.customer} (new activity)` }).waitFor({ timeout: 10_000 });
      await expectAccessible(q, "inbox with new activity");
      await row.getByRole("link").click();
      await q.getByRole("log", { name: "Conversation" }).getByText("One more question").waitFor();
      await q.goBack();
      await row.getByRole("link", { name: e.customer, exact: true }).waitFor();
    } finally {
      await other.close();
    }
  }, JOURNEY_MS);

  it("round-robin assigns a new conversation to the online agent, who finds it under Mine", async () => {
    await admin.mutate("tenant.update", { routing: { mode: "round_robin", maxOpenPerAgent: 1000 } });
    try {
      // Only Alice is available.
      await Promise.all([admin.mutate("availability.set", { status: "offline" }), owner.mutate("availability.set", { status: "offline" })]);
      await agent.mutate("availability.set", { status: "online" });

      const p = page();
      await signInOn(p, "acme", "agent@acme.test", "Acme Corporation");
      await nav(p, "Engagements");
      await p.getByRole("group", { name: "View" }).getByRole("button", { name: "Mine" }).click();
      await p.getByRole("status", { name: "Live updates: live" }).waitFor();

      const e = await newConversation(admin, "Routed to whoever is online");
      expect(e.assignedUserId).not.toBeNull();
      const me = await agent.query<RouterOutputs["auth"]["me"]>("auth.me");
      expect(e.assignedUserId).toBe(me.user.id);
      // It arrives live in Mine, assigned to Alice.
      const row = p.getByRole("table", { name: "Engagements" }).getByRole("row").filter({ hasText: e.customer });
      await row.waitFor({ timeout: 10_000 });
      expect(await row.getByRole("combobox", { name: `Assignee of ${e.customer}` }).inputValue()).toBe(me.user.id);
      await expectAccessible(p, "inbox, mine");

      // Unassigned does not list it.
      await p.getByRole("group", { name: "View" }).getByRole("button", { name: "Unassigned" }).click();
      await p.getByRole("button", { name: "Unassigned", pressed: true }).waitFor();
      await p.getByRole("status", { name: "Loading engagements…" }).waitFor({ state: "detached" });
      expect(await p.getByRole("row").filter({ hasText: e.customer }).count()).toBe(0);
    } finally {
      // The next journeys create conversations that nobody should be given.
      await admin.mutate("tenant.update", { routing: null });
    }
  }, JOURNEY_MS);

  it("the customer rates through /csat/<token> and the rating shows on the conversation", async () => {
    const e = await newConversation(admin, "Broken zipper", "The zipper broke on day one.");
    const p = page();
    await signInOn(p, "acme", "agent@acme.test", "Acme Corporation");
    await openFromInbox(p, e.customer);
    await composer(p).getByLabel("Reply").fill("Sorry about that: a replacement is on its way.");
    await composer(p).getByRole("button", { name: "Send reply" }).click();
    await p.getByRole("log", { name: "Conversation" }).getByText("a replacement is on its way").waitFor();

    const details = p.getByRole("complementary", { name: "Details" });
    await details.getByLabel("Status").selectOption("resolved");
    const surveyLink = p.getByTestId("csat-survey-url");
    await surveyLink.waitFor();
    const resolved = await agent.query<Engagement>("engagements.get", { id: e.id });
    expect(resolved.csatSurveyUrl).toBeTruthy();
    expect(await surveyLink.textContent()).toBe(resolved.csatSurveyUrl);

    // The customer: no session, the tenant's host, a plain form.
    const customer = await secondBrowser();
    try {
      const c = customer.page;
      const survey = new URL(resolved.csatSurveyUrl!);
      await c.goto(url("acme", survey.pathname + survey.search));
      await c.getByRole("heading", { level: 1, name: "How did we do?" }).waitFor();
      await expectAccessible(c, "CSAT survey");
      await c.getByRole("radio", { name: "4 — Good" }).check();
      await c.getByLabel(/Anything you would like to add/).fill("Quick and friendly, thanks!");
      await c.getByRole("button", { name: "Send my rating" }).click();
      await c.getByRole("heading", { level: 1, name: "Thank you!" }).waitFor();
      await expectAccessible(c, "CSAT survey, answered");
    } finally {
      await customer.close();
    }

    // The agent's open conversation shows the customer's answer (live `updated` event).
    const csat = p.getByTestId("csat");
    await csat.getByText("rated by the customer").waitFor({ timeout: 10_000 });
    expect(await csat.textContent()).toContain("4 / 5");
    expect(await csat.textContent()).toContain("Quick and friendly, thanks!");
    await expectAccessible(p, "conversation, rated");
  }, JOURNEY_MS);

  it("a viewer reads a conversation and its contact, without the composer or any control", async () => {
    const e = await newConversation(admin, "Viewer check", "Just reading along.");
    const p = page();
    await signInOn(p, "acme", "viewer@acme.test", "Acme Corporation");
    await p.goto(url("acme", `/engagements/${e.id}`));
    await p.getByRole("log", { name: "Conversation" }).getByText("Just reading along.").waitFor();
    const details = p.getByRole("complementary", { name: "Details" });
    await details.getByText("Unassigned").waitFor();
    await p.getByRole("region", { name: "Contact" }).getByText(e.customer).waitFor();
    expect(await composer(p).count()).toBe(0);
    expect(await details.getByRole("combobox").count()).toBe(0);
    expect(await details.getByRole("checkbox").count()).toBe(0);
    await expectAccessible(p, "conversation (viewer)");
  }, JOURNEY_MS);

  it("on a phone the inbox is a list and the conversation keeps the composer on screen", async () => {
    const e = await newConversation(admin, "Phone check", "Line one.\n\nLine two.\n\nLine three.");
    const p = page();
    await p.setViewportSize({ width: 390, height: 844 });
    await signInOn(p, "acme", "agent@acme.test", "Acme Corporation");
    await p.goto(url("acme", "/engagements"));
    const list = p.getByRole("list", { name: "Engagements" });
    await list.waitFor();
    expect(await p.getByRole("table", { name: "Engagements" }).isVisible()).toBe(false);
    await expectAccessible(p, "inbox on a phone");

    await list.getByRole("link", { name: e.customer }).click();
    const thread = p.getByRole("log", { name: "Conversation" });
    await thread.getByText("Line three.").waitFor();
    const send = composer(p).getByRole("button", { name: "Send reply" });
    const box = await composer(p).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    expect(box!.y).toBeGreaterThanOrEqual(0);
    // Scrolled to the thread's top, the composer is still at the bottom of the screen.
    await thread.evaluate((el) => el.scrollIntoView({ block: "start" }));
    const after = await composer(p).boundingBox();
    expect(after!.y + after!.height).toBeLessThanOrEqual(844);
    // The conversation itself never scrolls sideways.
    expect(await p.locator("main").evaluate((m) => m.scrollWidth - m.clientWidth)).toBe(0);
    await composer(p).getByLabel("Reply").fill("Replying from a phone.");
    await send.click();
    await thread.getByText("Replying from a phone.").waitFor();
    await expectAccessible(p, "conversation on a phone");
  }, JOURNEY_MS);
});
