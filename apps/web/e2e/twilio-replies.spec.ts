// Replies in an SMS conversation reach the customer through Twilio: the API's worker sends them to a fake Twilio
// Messages API (TWILIO_API_BASE_URL, see global-setup.ts) that checks Basic auth and the form, and the agent sees
// each reply's delivery under it — sending, then delivered once Twilio's signed status callback says so; a number
// Twilio refuses shows Twilio's reason.
import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import type { RouterOutputs } from "@switchboard/trpc";
import { type FakeTwilio, startFakeTwilio } from "@switchboard/jobs/fake-twilio";
import { expectAccessible } from "./accessibility";
import { apiAs, type ApiClient } from "./api-client";
import { describeInBrowser, signInOn, url, useBrowser } from "./browser";
import { messageSid, postTwilio, type TwilioForm } from "./twilio";

type Engagements = RouterOutputs["engagements"]["list"];

const JOURNEY_MS = 180_000;
const accountSid = `AC${randomBytes(16).toString("hex")}`;
const authToken = randomBytes(16).toString("hex");
const sender = "+15550001111";
const refused = "+15005550001";
const messagesUrl = url("acme", "/hooks/twilio/acme/messages");

const composer = (p: Page) => p.getByRole("form", { name: "Composer" });

async function until<T>(what: string, get: () => T | undefined, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const value = get();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describeInBrowser("Replies through Twilio", () => {
  const page = useBrowser();
  let fake: FakeTwilio;
  let admin: ApiClient;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accounts: { [accountSid]: authToken }, invalidNumbers: [refused], port: inject("twilioPort") });
    admin = await apiAs("admin@acme.test", "acme");
    await admin.mutate("tenant.update", { aiReplies: null });
    await admin.mutate("integrations.twilio.set", { accountSid, authToken, fromNumber: sender });
  });

  afterAll(async () => {
    // Leave acme as the other journeys expect it: no Twilio.
    await admin?.mutate("integrations.twilio.delete");
    await fake?.close();
  });

  /** A customer texts the tenant; the conversation it lands in. */
  async function customerTexts(from: string, body: string) {
    const form: TwilioForm = [
      ["AccountSid", accountSid],
      ["MessageSid", messageSid()],
      ["From", from],
      ["To", sender],
      ["Body", body],
      ["NumMedia", "0"],
      ["SmsStatus", "received"],
    ];
    expect((await postTwilio(messagesUrl, form, authToken)).status).toBe(200);
    const inbox = await admin.query<Engagements>("engagements.list", { channel: "sms", limit: 50 });
    return inbox.items.find((e) => e.customer === from)!;
  }

  /** Opens the conversation as the agent and sends `body` from the composer; the reply's entry in the thread. */
  async function reply(p: Page, engagementId: string, customerSaid: string, body: string) {
    await p.goto(url("acme", `/engagements/${engagementId}`));
    const thread = p.getByRole("log", { name: "Conversation" });
    await thread.locator('[data-entry="customer"]').getByText(customerSaid).waitFor();
    await composer(p).getByLabel("Reply").fill(body);
    await composer(p).getByRole("button", { name: "Send reply" }).click();
    return thread.locator('[data-entry="agent"]').filter({ hasText: body });
  }

  it("an agent's SMS reply is sent through Twilio and shows sending, then delivered; a refused number shows Twilio's reason", async () => {
    const p = page();
    await signInOn(p, "acme", "agent@acme.test", "Acme Corporation");

    const from = `+1555${String(Date.now()).slice(-7)}`;
    const conversation = await customerTexts(from, "Did you get my order?");
    const body = `Yes, it ships today (${Date.now().toString(36)})`;
    const entry = await reply(p, conversation.id, "Did you get my order?", body);
    await entry.locator('[data-delivery="queued"]').getByText("Sending…").waitFor();

    // The worker sent it to Twilio: Basic auth of the account, the tenant's number, the customer's, the text, and the
    // messages URL for Twilio's reports.
    const sent = await until("the reply at Twilio", () => fake.requests().find((r) => r.form.Body === body));
    expect(sent).toMatchObject({ accountSid, status: 201, form: { To: from, From: sender, Body: body, StatusCallback: messagesUrl } });
    expect(fake.problems()).toEqual([]);
    await expectAccessible(p, "conversation with a reply on its way");

    // Twilio reports it delivered to the same URL, signed: the conversation shows it without a reload.
    const report = (status: string): TwilioForm => [
      ["AccountSid", accountSid],
      ["MessageSid", sent.sid!],
      ["MessageStatus", status],
      ["SmsStatus", status],
      ["From", sender],
      ["To", from],
    ];
    expect((await postTwilio(messagesUrl, report("sent"), authToken)).status).toBe(200);
    expect((await postTwilio(messagesUrl, report("delivered"), authToken)).status).toBe(200);
    await entry.locator('[data-delivery="delivered"]').getByText("Delivered").waitFor({ timeout: 15_000 });

    // Twilio refuses a number: the reply says so, with Twilio's code and message.
    const bad = await customerTexts(refused, "Text me back please");
    const failed = await reply(p, bad.id, "Text me back please", "Sure, here you go");
    await failed
      .locator('[data-delivery="failed"]')
      .getByText(`Not delivered: Twilio error 21211: The 'To' number ${refused} is not a valid phone number.`)
      .waitFor({ timeout: 30_000 });
    await expectAccessible(p, "conversation with a reply Twilio refused");
  }, JOURNEY_MS);
});
