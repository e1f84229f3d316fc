// AI replies through the whole API: AI_BASE_URL / AI_API_KEY / AI_MODEL reach the worker's job, a message ingested
// over HTTP with an API key is answered by a local OpenAI-compatible server (which checks the request shape) as an
// ai_agent message; the environment's defaults (echo outside production only) and the start banner.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAi, startFakeOpenAi } from "@switchboard/jobs/fake-openai";
import { aiDescription } from "../src/ai-replies";
import { loadEnv } from "../src/env";
import { startWorker } from "../src/worker";
import { buildTestApp, mutate, query, sessionCookie, type TestApp } from "./helper";

let t: TestApp;
let fake: FakeOpenAi;
const aiEnv = { AI_BASE_URL: "", AI_API_KEY: "sk-operator-1", AI_MODEL: "ops-model", AI_TIMEOUT_SECONDS: "5" };

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: "sk-operator-1", reply: () => "Your parcel arrives on Friday." });
  aiEnv.AI_BASE_URL = fake.baseUrl;
  t = await buildTestApp(aiEnv);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe("AI replies in the API", () => {
  it("an ingested message is answered by the worker through AI_BASE_URL with AI_API_KEY and AI_MODEL", async () => {
    const reg = await mutate(t.app, "auth.register", { email: "owner@ai-http.test", password: "a long enough password", name: "Owner" });
    const cookie = sessionCookie(reg);
    expect((await mutate(t.app, "tenants.create", { name: "Ai Http", slug: "ai-http" }, { cookie })).statusCode).toBe(200);
    const host = "ai-http.localhost:3000";
    const agent = await mutate(t.app, "agents.create", { name: "Helper", type: "chat", configuration: { prompt: "You help.", language: "en" } }, { cookie, host });
    const agentId = JSON.parse(agent.body).result.data.id as string;
    const aiReplies = { enabled: true, channels: ["sms"], agentId, handoffKeywords: ["agent please"], maxTurns: 3 };
    expect((await mutate(t.app, "tenant.update", { aiReplies }, { cookie, host })).statusCode).toBe(200);
    const key = JSON.parse((await mutate(t.app, "apiKeys.create", { name: "twilio", role: "agent" }, { cookie, host })).body).result.data.key as string;

    const env = loadEnv({ ...aiEnv, LOG_LEVEL: "silent", ...(t.db.appUrl ? { DATABASE_URL: t.db.appUrl } : {}) });
    const worker = await startWorker(env, t.db.app, pino({ level: "silent" }));
    try {
      const auth = { authorization: `Bearer ${key}` };
      const ingested = await mutate(t.app, "messages.ingest", { channel: "sms", handle: "+15550101010", body: "Where is my parcel?", externalId: "SM1" }, { headers: auth });
      expect(ingested.statusCode).toBe(200);
      const engagementId = JSON.parse(ingested.body).result.data.engagement.id as string;
      let reply: { author: { type: string; name: string }; body: string } | undefined;
      for (const end = Date.now() + 20_000; !reply && Date.now() < end; ) {
        const page = JSON.parse((await query(t.app, "messages.list", { engagementId }, { headers: auth })).body).result.data;
        reply = page.items.find((m: { author: { type: string } }) => m.author.type === "ai_agent");
        if (!reply) await new Promise((r) => setTimeout(r, 200));
      }
      expect(reply).toMatchObject({ author: { type: "ai_agent", name: "Helper" }, body: "Your parcel arrives on Friday." });
      const req = fake.requests().at(-1)!;
      expect(req.body.model).toBe("ops-model");
      expect(req.headers.authorization).toBe("Bearer sk-operator-1");
      expect(fake.problems()).toEqual([]);
    } finally {
      await worker?.stop(2000);
    }
  }, 60_000);

  it("defaults: the echo provider outside production only; production uses it when chosen; bad values refused", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const prod = { NODE_ENV: "production", ENCRYPTION_KEY: key, SMTP_URL: "smtp://mail.example.com:587" };
    expect(loadEnv({}).aiBaseUrl).toBe("echo");
    expect(loadEnv(prod).aiBaseUrl).toBeNull();
    expect(loadEnv({ ...prod, AI_BASE_URL: "echo" }).aiBaseUrl).toBe("echo");
    expect(loadEnv({ AI_BASE_URL: "http://ollama:11434/v1/" }).aiBaseUrl).toBe("http://ollama:11434/v1");
    expect(loadEnv({}).AI_TIMEOUT_SECONDS).toBe(30);
    expect(() => loadEnv({ AI_BASE_URL: "ollama:11434" })).toThrow(/AI_BASE_URL/);
    expect(() => loadEnv({ AI_TIMEOUT_SECONDS: "0" })).toThrow(/AI_TIMEOUT_SECONDS/);
    expect(() => loadEnv({ AI_MODEL: "" })).toThrow(/AI_MODEL/);
  });

  it("the banner says where replies come from, never the key", () => {
    expect(aiDescription(loadEnv({}))).toBe("built-in echo provider (not an AI model: set AI_BASE_URL for one)");
    const described = aiDescription(loadEnv({ AI_BASE_URL: "https://api.openai.com/v1", AI_API_KEY: "sk-secret" }));
    expect(described).toBe("https://api.openai.com/v1 (default model gpt-4o-mini)");
  });
});
