/**
 * One chat completion from an OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, anything serving
 * `POST <baseUrl>/chat/completions`), or from the built-in echo provider.
 *
 * Two kinds of address, two transports:
 * - a tenant's `baseUrl` (an agent's provider) is tenant-supplied: it goes through `outboundRequest`, which applies
 *   the webhook address rules (https, public addresses only, pinned connection, no redirects);
 * - the deployment's AI_BASE_URL is the operator's choice and may well be a private address (a vLLM or Ollama
 *   server next to the API), so it is sent with fetch, still without following redirects and within the timeout.
 * The echo provider answers locally and says that it is one: `pnpm start` demos AI replies without any key.
 */
import { z } from "zod";
import { OutboundRequestError, OutboundUrlError, outboundRequest } from "../net/outbound";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface Completion {
  content: string;
  /** The model that answered (the endpoint's name for it when it says, else the one asked for). */
  model: string;
  promptTokens: number;
  completionTokens: number;
}

/** Where a completion comes from. `trusted`: the operator's AI_BASE_URL (no address rules). */
export type Endpoint =
  | { kind: "echo" }
  | { kind: "openai"; baseUrl: string; apiKey: string | null; trusted: boolean };

/**
 * The provider did not answer usefully. `retryable`: worth another attempt later (timeouts, refused connections,
 * 408/409/429/5xx); otherwise the conversation goes to people at once (a wrong key or model, a refused address).
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** The name the echo provider reports as its model. */
export const ECHO_MODEL = "echo";

/** How much of an answer is kept: a message body holds at most 20,000 characters. */
const MAX_ANSWER_CHARS = 4000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

const completionResponse = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
  usage: z
    .object({ prompt_tokens: z.number().int().min(0).optional(), completion_tokens: z.number().int().min(0).optional() })
    .nullable()
    .optional(),
});

/** A rough token count for the echo provider's usage (about four characters a token). */
const roughTokens = (text: string) => Math.ceil(text.length / 4);

function echo(messages: ChatMessage[]): Completion {
  const last = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const content =
    `[Echo provider: a built-in stand-in, not an AI model] You wrote: "${[...last].slice(0, 500).join("")}". ` +
    `Set AI_BASE_URL (or an agent's provider) to answer with a real model.`;
  return { content, model: ECHO_MODEL, promptTokens: roughTokens(messages.map((m) => m.content).join("\n")), completionTokens: roughTokens(content) };
}

interface RawAnswer {
  status: number;
  body: string;
}

/** The operator's endpoint: fetch, no redirects, a deadline, the body read up to a cap. */
async function trustedRequest(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<RawAnswer> {
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal });
  } catch (err) {
    throw new ProviderError(signal.aborted ? "The AI provider did not answer in time" : `Could not reach the AI provider (${(err as Error).message})`, true);
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_RESPONSE_BYTES) {
        await reader.cancel();
        throw new ProviderError("The AI provider's answer is too large", false);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    throw new ProviderError(signal.aborted ? "The AI provider did not answer in time" : "The AI provider's answer broke off", true);
  }
  return { status: res.status, body: Buffer.concat(chunks).toString("utf8") };
}

/** A tenant's endpoint: the address rules apply (checked again now, pinned for the connection). */
async function checkedRequest(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  allowHttpLocalhost: boolean,
): Promise<RawAnswer> {
  try {
    const res = await outboundRequest(url, { method: "POST", headers, body, timeoutMs, allowHttpLocalhost, maxResponseBytes: MAX_RESPONSE_BYTES });
    if (res.truncated) throw new ProviderError("The AI provider's answer is too large", false);
    return res;
  } catch (err) {
    if (err instanceof OutboundUrlError) throw new ProviderError(`The agent's baseUrl is refused: ${err.message}`, false);
    if (err instanceof OutboundRequestError) {
      throw new ProviderError(err.reason === "timeout" ? "The AI provider did not answer in time" : `Could not reach the AI provider (${err.message})`, true);
    }
    throw err;
  }
}

const retryableStatus = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

export interface CompletionOptions {
  timeoutMs: number;
  /** WEBHOOKS_ALLOW_HTTP_LOCALHOST: a tenant's baseUrl may be http://127.0.0.1 (development and tests). */
  allowHttpLocalhost: boolean;
}

/** Asks `endpoint` for the next assistant message. Throws ProviderError (never the key, never the raw answer). */
export async function chatCompletion(endpoint: Endpoint, model: string, messages: ChatMessage[], opts: CompletionOptions): Promise<Completion> {
  if (endpoint.kind === "echo") return echo(messages);
  const url = `${endpoint.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  const body = JSON.stringify({ model, messages, stream: false });
  const answer = endpoint.trusted
    ? await trustedRequest(url, headers, body, opts.timeoutMs)
    : await checkedRequest(url, headers, body, opts.timeoutMs, opts.allowHttpLocalhost);
  if (answer.status < 200 || answer.status >= 300) {
    throw new ProviderError(`The AI provider answered HTTP ${answer.status}`, retryableStatus(answer.status));
  }
  let parsed: z.infer<typeof completionResponse>;
  try {
    parsed = completionResponse.parse(JSON.parse(answer.body));
  } catch {
    throw new ProviderError("The AI provider's answer is not a chat completion", false);
  }
  // PostgreSQL text holds no NUL; other control characters but tab and line breaks have no place in a message.
  // eslint-disable-next-line no-control-regex
  const content = (parsed.choices[0]!.message.content ?? "").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim();
  if (!content) throw new ProviderError("The AI provider answered with an empty message", true);
  return {
    content: [...content].slice(0, MAX_ANSWER_CHARS).join(""),
    model: [...(parsed.model || model)].slice(0, 200).join(""),
    promptTokens: parsed.usage?.prompt_tokens ?? 0,
    completionTokens: parsed.usage?.completion_tokens ?? 0,
  };
}
