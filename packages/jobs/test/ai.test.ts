// The AI reply job's pieces against a local OpenAI-compatible server that checks every request's shape: the
// completion call (key or none, usage, errors worth a retry or not, the timeout, the address rules for a tenant's
// baseUrl), the prompt, the handoff rules and which key goes where. The whole job runs in packages/trpc's
// integrations/ai-replies.test.ts (it needs the messages and engagements services).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrompt, handoffFromCustomer, HANDOFF_MARKER } from "../src/ai/conversation";
import { type FakeOpenAi, startFakeOpenAi } from "../src/ai/fake-openai";
import { chatCompletion, ECHO_MODEL, ProviderError } from "../src/ai/provider";
import { endpointFor } from "../src/ai/reply-job";

let fake: FakeOpenAi;
const messages = [
  { role: "system" as const, content: "You help." },
  { role: "user" as const, content: "Where is my parcel?" },
];
const local = { timeoutMs: 2000, allowHttpLocalhost: true };

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: "sk-test", usage: { prompt_tokens: 31, completion_tokens: 9 } });
});
afterAll(() => fake?.close());

async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error("expected a ProviderError");
}

describe("chatCompletion", () => {
  it("posts { model, messages, stream: false } with the bearer key and reads the answer and its usage", async () => {
    fake.answerNext("It ships tomorrow.");
    const c = await chatCompletion({ kind: "openai", baseUrl: `${fake.baseUrl}/`, apiKey: "sk-test", trusted: false }, "gpt-4o-mini", messages, local);
    expect(c).toEqual({ content: "It ships tomorrow.", model: "gpt-4o-mini", promptTokens: 31, completionTokens: 9 });
    const req = fake.requests().at(-1)!;
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.body).toEqual({ model: "gpt-4o-mini", messages, stream: false });
    expect(fake.problems()).toEqual([]);
  });

  it("the operator's endpoint (trusted) is reached the same way, private address and all", async () => {
    const c = await chatCompletion({ kind: "openai", baseUrl: fake.baseUrl, apiKey: "sk-test", trusted: true }, "llama3.2", messages, { ...local, allowHttpLocalhost: false });
    expect(c.model).toBe("llama3.2");
    expect(fake.problems()).toEqual([]);
  });

  it("a tenant's baseUrl obeys the address rules at send time: loopback refused without WEBHOOKS_ALLOW_HTTP_LOCALHOST, not retried", async () => {
    const before = fake.requests().length;
    const err = await providerError(
      chatCompletion({ kind: "openai", baseUrl: fake.baseUrl, apiKey: "sk-test", trusted: false }, "m", messages, { ...local, allowHttpLocalhost: false }),
    );
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/refused/);
    for (const baseUrl of ["https://169.254.169.254/v1", "https://[::ffff:127.0.0.1]/v1", "https://10.0.0.8/v1"]) {
      expect((await providerError(chatCompletion({ kind: "openai", baseUrl, apiKey: null, trusted: false }, "m", messages, local))).retryable).toBe(false);
    }
    expect(fake.requests().length).toBe(before);
  });

  it("5xx and 429 are worth a retry; 401 and 400 are not; the error never carries the key", async () => {
    const endpoint = { kind: "openai" as const, baseUrl: fake.baseUrl, apiKey: "sk-test", trusted: false };
    for (const [status, retryable] of [[500, true], [503, true], [429, true], [401, false], [400, false]] as const) {
      fake.failNext(status);
      const err = await providerError(chatCompletion(endpoint, "m", messages, local));
      expect([err.retryable, err.message]).toEqual([retryable, `The AI provider answered HTTP ${status}`]);
      expect(err.message).not.toContain("sk-test");
    }
    // A wrong key is refused by the server (its shape check) and not retried.
    const wrong = await providerError(chatCompletion({ ...endpoint, apiKey: "sk-wrong" }, "m", messages, local));
    expect(wrong.retryable).toBe(false);
    expect(fake.problems()).toEqual(["wrong bearer key"]);
  });

  it("a provider that hangs is cut off at the timeout (retryable)", async () => {
    fake.hangNext();
    const started = Date.now();
    const err = await providerError(
      chatCompletion({ kind: "openai", baseUrl: fake.baseUrl, apiKey: "sk-test", trusted: false }, "m", messages, { ...local, timeoutMs: 300 }),
    );
    expect(err).toMatchObject({ retryable: true, message: "The AI provider did not answer in time" });
    expect(Date.now() - started).toBeLessThan(2000);
    fake.hangNext();
    const trusted = await providerError(
      chatCompletion({ kind: "openai", baseUrl: fake.baseUrl, apiKey: "sk-test", trusted: true }, "m", messages, { ...local, timeoutMs: 300 }),
    );
    expect(trusted).toMatchObject({ retryable: true, message: "The AI provider did not answer in time" });
  });

  it("redirects are not followed, and an answer that is not a chat completion is refused", async () => {
    const hits: string[] = [];
    const odd = http.createServer((req, res) => {
      hits.push(req.url!);
      if (req.url!.startsWith("/redirect")) {
        res.writeHead(307, { location: `${fake.baseUrl}/chat/completions` });
        return res.end();
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ choices: [] }));
    });
    await new Promise<void>((r) => odd.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
    try {
      const before = fake.requests().length;
      for (const trusted of [true, false]) {
        const err = await providerError(chatCompletion({ kind: "openai", baseUrl: `${base}/redirect`, apiKey: null, trusted }, "m", messages, local));
        expect(err.message).toBe("The AI provider answered HTTP 307");
      }
      expect(fake.requests().length).toBe(before);
      const bad = await providerError(chatCompletion({ kind: "openai", baseUrl: base, apiKey: null, trusted: true }, "m", messages, local));
      expect(bad).toMatchObject({ retryable: false, message: "The AI provider's answer is not a chat completion" });
    } finally {
      odd.close();
    }
  });

  it("the echo provider answers locally and says it is one", async () => {
    const c = await chatCompletion({ kind: "echo" }, "anything", messages, local);
    expect(c.model).toBe(ECHO_MODEL);
    expect(c.content).toMatch(/^\[Echo provider: a built-in stand-in, not an AI model\] You wrote: "Where is my parcel\?"/);
    expect(c.promptTokens).toBeGreaterThan(0);
  });
});

describe("which key goes where", () => {
  const defaults = { baseUrl: "http://vllm.internal:8000/v1", apiKey: "sk-operator", model: "m" };
  it("a tenant's baseUrl gets only the tenant's own key, never AI_API_KEY", () => {
    expect(endpointFor(defaults, "https://llm.example.com/v1", null)).toEqual({ kind: "openai", baseUrl: "https://llm.example.com/v1", apiKey: null, trusted: false });
    expect(endpointFor(defaults, "https://llm.example.com/v1", "sk-tenant")).toMatchObject({ apiKey: "sk-tenant", trusted: false });
  });
  it("the deployment's endpoint gets the tenant's key when set, else AI_API_KEY; echo and none", () => {
    expect(endpointFor(defaults, undefined, null)).toEqual({ kind: "openai", baseUrl: defaults.baseUrl, apiKey: "sk-operator", trusted: true });
    expect(endpointFor(defaults, undefined, "sk-tenant")).toMatchObject({ apiKey: "sk-tenant", trusted: true });
    expect(endpointFor({ ...defaults, baseUrl: "echo" }, undefined, null)).toEqual({ kind: "echo" });
    expect(endpointFor({ ...defaults, baseUrl: null }, undefined, null)).toBeNull();
  });
});

describe("prompt and handoff rules", () => {
  it("system prompt with the agent's prompt and the handoff marker, the greeting, then the thread without notes", () => {
    const prompt = buildPrompt({ prompt: "You are Acme's assistant.", greeting: "Hi! How can I help?", language: "en" }, "whatsapp", [
      { kind: "inbound", authorType: "customer", body: "Hello" },
      { kind: "outbound", authorType: "ai_agent", body: "Hi there" },
      { kind: "note", authorType: "user", body: "internal: VIP customer" },
      { kind: "inbound", authorType: "customer", body: "Where is my order?" },
    ]);
    expect(prompt[0]!.role).toBe("system");
    expect(prompt[0]!.content).toContain("You are Acme's assistant.");
    expect(prompt[0]!.content).toContain(HANDOFF_MARKER);
    expect(prompt.slice(1)).toEqual([
      { role: "assistant", content: "Hi! How can I help?" },
      { role: "user", content: "Hello" },
      { role: "assistant", content: "Hi there" },
      { role: "user", content: "Where is my order?" },
    ]);
  });

  it("keywords match whole words in any case; asking for a person is recognised", () => {
    expect(handoffFromCustomer("I want a REFUND now", ["refund"])).toBe("keyword");
    expect(handoffFromCustomer("refunded already, thanks", ["refund"])).toBeNull();
    expect(handoffFromCustomer("cancel   my order please", ["cancel my order"])).toBe("keyword");
    expect(handoffFromCustomer("Can I talk to a person?", [])).toBe("asked for a person");
    expect(handoffFromCustomer("I need a human", [])).toBe("asked for a person");
    expect(handoffFromCustomer("What are your opening hours?", ["refund"])).toBeNull();
  });
});
