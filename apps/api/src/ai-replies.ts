/**
 * AI replies in the worker: the provider defaults from the environment (AI_BASE_URL, AI_API_KEY, AI_MODEL,
 * AI_TIMEOUT_SECONDS), the secret box that opens a tenant's own key, and the messages and engagements services'
 * thread writers (aiThread), which the job in @switchboard/jobs cannot import itself.
 */
import { createSecretBox } from "@switchboard/auth";
import type { AiReplyOptions } from "@switchboard/jobs";
import { aiThread } from "@switchboard/trpc";
import { encryptionKeys } from "./encryption-key";
import type { Env } from "./env";

export function aiReplyOptions(env: Env): AiReplyOptions {
  const secrets = createSecretBox(encryptionKeys(env));
  return {
    defaults: { baseUrl: env.aiBaseUrl, apiKey: env.AI_API_KEY ?? null, model: env.AI_MODEL },
    timeoutSeconds: env.AI_TIMEOUT_SECONDS,
    allowHttpLocalhost: env.WEBHOOKS_ALLOW_HTTP_LOCALHOST ?? false,
    openSecret: (ciphertext, context) => secrets.open(ciphertext, context),
    thread: aiThread,
  };
}

/** Where AI replies come from, for the start banner (never the key). */
export function aiDescription(env: Pick<Env, "aiBaseUrl" | "AI_MODEL">): string {
  if (env.aiBaseUrl === "echo") return "built-in echo provider (not an AI model: set AI_BASE_URL for one)";
  if (!env.aiBaseUrl) return "AI_BASE_URL unset: agents without their own provider hand off to people";
  const u = new URL(env.aiBaseUrl);
  return `${u.protocol}//${u.host}${u.pathname} (default model ${env.AI_MODEL})`;
}
