import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RouterOutputs } from "@switchboard/trpc";
import { expectAccessible } from "./accessibility";
import { apiAs, type ApiClient } from "./api-client";
import { describeInBrowser, heading, nav, signInOn, unique, url, useBrowser } from "./browser";
import { json, type LocalServer, type Received, startLocalServer } from "./receiver";
import { messageSid, postTwilio, type TwilioForm } from "./twilio";

type Agents = RouterOutputs["agents"]["list"];
type Ingested = RouterOutputs["messages"]["ingest"];
type Messages = RouterOutputs["messages"]["list"];
type Engagements = RouterOutputs["engagements"]["list"];

/** Signs in, creates an agent, waits on two AI jobs and live events: more than the suite's 60 s on a loaded machine. */
const JOURNEY_MS = 240_000;

const MODEL = "journey-model";
const PROVIDER_KEY = `sk-journey-${Date.now().toString(36)}`;

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

const chatRequest = (r: Received) => JSON.parse(r.body) as ChatRequest;
const lastUserMessage = (req: ChatRequest) => req.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";

describeInBrowser("AI replies and Twilio", () => {
  const page = useBrowser();
  let provider: LocalServer;
  let admin: ApiClient;
  const agentName = unique("Ada");

  beforeAll(async () => {
    // A fake OpenAI-compatible provider: answers every chat completion with a line naming the customer's last words.
    provider = await startLocalServer((r, res) => {
      if (r.path !== "/v1/chat/completions") return json(res, 404, { error: { message: "not found" } });
      const req = chatRequest(r);
      json(res, 200, {
        id: `chatcmpl-${unique("x")}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: req.model,
        choices: [{ index: 0, message: { role: "assistant", content: `Happy to help with: ${lastUserMessage(req)}` }, finish_reason: "stop" }],
        usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
      });
    });
    admin = await apiAs("admin@acme.test", "acme");
  });

  afterAll(async () => {
    // Leave acme as the other journeys expect it: no AI replies, no own key, no Twilio, no journey agent.
    await admin?.mutate("tenant.update", { aiReplies: null });
    await admin?.mutate("integrations.ai.delete");
    await admin?.mutate("integrations.twilio.delete");
    const agents = await admin?.query<Agents>("agents.list", { limit: 100 });
    for (const a of agents?.items.filter((a) => a.name === agentName) ?? []) await admin.mutate("agents.delete", { id: a.id });
    await provider?.close();
  });

  it("an admin sets up a chat agent and AI replies; an inbound message is answered, then handed to people on the keyword", async () => {
    const p = page();
    await signInOn(p, "acme", "admin@acme.test", "Acme Corporation");

    // The chat agent, with its model on the provider's endpoint.
    await nav(p, "AI agents");
    await heading(p, "AI agents");
    await p.getByRole("button", { name: "Create agent" }).click();
    const agentForm = p.getByRole("form", { name: "Create agent" });
    await agentForm.getByLabel("Name").fill(agentName);
    await agentForm.getByLabel("Type").selectOption("chat");
    await agentForm.getByLabel("Prompt").fill("You are Acme's friendly support assistant. Answer briefly.");
    await agentForm.getByLabel("Greeting").fill("Hi, I am Ada from Acme.");
    await agentForm.getByLabel("Model").fill(MODEL);
    await agentForm.getByLabel("Endpoint base URL").fill(`${provider.url}/v1`);
    await expectAccessible(p, "create a chat agent with a provider");
    await agentForm.getByRole("button", { name: "Create agent" }).click();
    await p.getByRole("list", { name: "Agents" }).getByRole("heading", { name: agentName }).waitFor();

    // The tenant's own key, then the AI replies setting.
    await nav(p, "Integrations");
    await heading(p, "Integrations");
    const keyForm = p.getByRole("form", { name: "AI provider key" });
    await keyForm.getByLabel("API key").fill(PROVIDER_KEY);
    await keyForm.getByRole("button", { name: "Save key" }).click();
    await p.getByText("Own key set").waitFor();
    expect(await keyForm.getByLabel("API key").inputValue()).toBe("");

    const form = p.getByRole("form", { name: "AI replies" });
    // The switch's input is visually hidden under its drawn track: checked by force, like the other switches' journeys.
    await form.getByRole("switch", { name: "Answer with an AI agent" }).check({ force: true });
    await form.getByLabel("Chat agent").selectOption({ label: agentName });
    await form.getByRole("checkbox", { name: "Chat" }).check();
    await form.getByLabel("Handoff keywords").fill("supervisor");
    await form.getByLabel("AI answers at most").fill("5");
    await form.getByRole("button", { name: "Save AI replies" }).click();
    await form.getByRole("status").getByText("Saved").waitFor();
    await expectAccessible(p, "integrations, AI replies on");

    // A visitor writes in on web chat (an integration ingests it) …
    const handle = unique("visitor");
    const first = await admin.mutate<Ingested>("messages.ingest", {
      channel: "chat",
      handle,
      name: "Vera Visitor",
      body: "Hello, do you ship to Canada?",
      externalId: unique("chat"),
    });
    await p.goto(url("acme", `/engagements/${first.engagement.id}`));
    const thread = p.getByRole("log", { name: "Conversation" });
    await thread.locator('[data-entry="customer"]').getByText("do you ship to Canada").waitFor();
    // … and the agent answers through the provider, with the tenant's key, the agent's model, prompt and the thread.
    const answer = thread.locator('[data-entry="ai_agent"]').filter({ hasText: "Happy to help with: Hello, do you ship to Canada?" });
    await answer.waitFor({ timeout: 30_000 });
    expect(await answer.getByText("AI agent").count()).toBe(1);
    const call = await provider.waitFor((r) => r.path === "/v1/chat/completions");
    expect(call.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    const sent = chatRequest(call);
    expect(sent.model).toBe(MODEL);
    expect(sent.messages[0]).toMatchObject({ role: "system" });
    expect(sent.messages[0]!.content).toContain("friendly support assistant");
    expect(lastUserMessage(sent)).toBe("Hello, do you ship to Canada?");
    await expectAccessible(p, "conversation answered by the AI agent");

    // The keyword hands the conversation to people: a system line, and the agent answers no more.
    await admin.mutate<Ingested>("messages.ingest", {
      channel: "chat",
      handle,
      body: "Thanks, but can I talk to your supervisor?",
      externalId: unique("chat"),
    });
    await thread.locator('[data-entry="customer"]').getByText("talk to your supervisor").waitFor();
    await thread.locator('[data-entry="system"]').first().waitFor({ timeout: 30_000 });
    await expectAccessible(p, "conversation handed to people");
    // A later message still gets no AI answer (give the job runner time to prove it).
    await admin.mutate<Ingested>("messages.ingest", { channel: "chat", handle, body: "Hello? Anyone there?", externalId: unique("chat") });
    await thread.locator('[data-entry="customer"]').getByText("Anyone there?").waitFor();
    await new Promise((r) => setTimeout(r, 3000));
    const calls = provider.received.filter((r) => r.path === "/v1/chat/completions").map((r) => lastUserMessage(chatRequest(r)));
    expect(calls).toEqual(["Hello, do you ship to Canada?"]);
    const messages = await admin.query<Messages>("messages.list", { engagementId: first.engagement.id });
    expect(messages.items.map((m) => m.author.type)).toEqual(["customer", "ai_agent", "customer", "system", "customer"]);

    // The tokens it spent show on the analytics page.
    await nav(p, "Analytics");
    await heading(p, "Analytics");
    const usage = p.getByRole("group", { name: "AI usage" });
    await usage.getByTestId("ai-replies").filter({ hasText: /^[1-9]/ }).waitFor();
    await expectAccessible(p, "analytics with AI usage");
  }, JOURNEY_MS);

  it("on a phone, an admin connects Twilio; an SMS Twilio signs for the pasted messages URL starts a conversation; disconnecting refuses the next", async () => {
    // No AI replies here: an answer to an SMS would go out through Twilio's real API.
    await admin.mutate("tenant.update", { aiReplies: null });
    const accountSid = `AC${randomBytes(16).toString("hex")}`;
    const authToken = randomBytes(16).toString("hex");
    const p = page();
    await p.setViewportSize({ width: 390, height: 844 });
    await signInOn(p, "acme", "admin@acme.test", "Acme Corporation");
    await p.goto(url("acme", "/integrations"));
    await heading(p, "Integrations");
    const twilio = p.getByRole("form", { name: "Twilio credentials" });
    await twilio.getByLabel("Account SID").fill(accountSid);
    await twilio.getByLabel("Auth token").fill(authToken);
    await twilio.getByRole("button", { name: "Connect Twilio" }).click();
    await p.getByTestId("twilio-account-sid").getByText(accountSid).waitFor();
    // The token is never shown again; the form offers to replace it.
    expect(await twilio.getByLabel("Auth token").inputValue()).toBe("");
    await twilio.getByRole("button", { name: "Replace credentials" }).waitFor();
    expect(await p.content()).not.toContain(authToken);
    const messagesUrl = (await p.getByTestId("twilio-messages-url").textContent()) ?? "";
    expect(messagesUrl).toBe(url("acme", "/hooks/twilio/acme/messages"));
    expect(await p.getByTestId("twilio-voice-url").textContent()).toBe(url("acme", "/hooks/twilio/acme/voice"));
    // Nothing scrolls sideways once the shell has settled at this width; the long URLs wrap.
    await p.waitForFunction(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth, null, { timeout: 5000 });
    await expectAccessible(p, "integrations on a phone, Twilio connected");
    await p.getByRole("link", { name: /^API reference/ }).waitFor();

    // Twilio posts an inbound SMS to the URL pasted into its console, signed with the account's token.
    const from = `+1555${String(Date.now()).slice(-7)}`;
    const sms = (sid: string, body: string): TwilioForm => [
      ["AccountSid", accountSid],
      ["MessageSid", sid],
      ["From", from],
      ["To", "+15550001111"],
      ["Body", body],
      ["NumMedia", "0"],
    ];
    const first = sms(messageSid(), "Texting from my phone: is my order ready?");
    expect((await postTwilio(messagesUrl, first, authToken)).status).toBe(200);
    const inbox = await admin.query<Engagements>("engagements.list", { channel: "sms", limit: 20 });
    const conversation = inbox.items.find((e) => e.customer === from);
    expect(conversation).toBeDefined();
    await p.goto(url("acme", `/engagements/${conversation!.id}`));
    await p.getByRole("log", { name: "Conversation" }).locator('[data-entry="customer"]').getByText("is my order ready?").waitFor();

    // Disconnected: Twilio's next callback is refused and writes nothing.
    await p.goto(url("acme", "/integrations"));
    await p.getByRole("button", { name: "Disconnect Twilio" }).click();
    await expectAccessible(p, "disconnect Twilio dialog");
    await p.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
    await p.getByText("Not connected").waitFor();
    const refused = await postTwilio(messagesUrl, sms(messageSid(), "Anyone?"), authToken);
    expect(refused.status).toBe(404);
  }, JOURNEY_MS);
});
