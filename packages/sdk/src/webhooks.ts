/**
 * Checking a webhook delivery from Switchboard (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, secret `whsec_<base64>`). WebCrypto only, so
 * it runs in Node 20+, Deno, Bun, browsers and edge runtimes; `crypto.subtle.verify` compares in constant time.
 */
import type { RouterOutputs } from "./router.js";

/** What each event's `data` is: the row as the procedures return it. */
export interface WebhookEventData {
  "engagement.created": RouterOutputs["engagements"]["list"]["items"][number];
  "engagement.updated": RouterOutputs["engagements"]["list"]["items"][number];
  "message.created": RouterOutputs["messages"]["list"]["items"][number];
  "call.created": RouterOutputs["calls"]["list"]["items"][number];
  "call.updated": RouterOutputs["calls"]["list"]["items"][number];
  "lead.created": RouterOutputs["leads"]["list"]["items"][number];
  "lead.updated": RouterOutputs["leads"]["list"]["items"][number];
  /** `webhooks.test`: a delivery to check the receiver. */
  ping: { webhookId: string; message: string };
}
export type WebhookEventType = keyof WebhookEventData;
/** A verified delivery's body; switch on `type` to narrow `data`. */
export type WebhookEvent = {
  [T in WebhookEventType]: { type: T; timestamp: string; data: WebhookEventData[T] };
}[WebhookEventType];

/** Request headers as Fetch (`Headers`) or Node (`req.headers`) give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, in seconds (default 300). Older deliveries may be replays. */
  toleranceSeconds?: number;
  /** The current time (tests). */
  now?: Date;
}

/** The delivery is not from the holder of the secret, or is too old or too new to accept. */
export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError";
}

const encoder = new TextEncoder();

/**
 * Checks a delivery against the endpoint's secret and returns its event. `body` must be the raw request body, as
 * received (a parsed and re-serialised object does not match). Throws `WebhookVerificationError`.
 */
export async function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string | Uint8Array | ArrayBuffer,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError("Missing webhook-id, webhook-timestamp or webhook-signature");
  if (!/^\d{1,15}$/.test(timestamp)) throw new WebhookVerificationError("Invalid webhook-timestamp");
  const tolerance = options.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) throw new WebhookVerificationError("Timestamp outside the tolerance");

  const bytes = typeof body === "string" ? encoder.encode(body) : body instanceof Uint8Array ? body : new Uint8Array(body);
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + bytes.length);
  signed.set(prefix);
  signed.set(bytes, prefix.length);
  const key = await crypto.subtle.importKey("raw", secretBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  for (const entry of signatures.split(" ")) {
    const [version, signature] = entry.split(",", 2);
    if (version !== "v1" || !signature) continue;
    const candidate = base64Bytes(signature);
    if (candidate && (await crypto.subtle.verify("HMAC", key, candidate, signed))) return parseEvent(bytes);
  }
  throw new WebhookVerificationError("No matching signature");
}

function parseEvent(bytes: Uint8Array): WebhookEvent {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError("The body is not JSON");
  }
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  const bytes = base64Bytes(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret);
  if (!bytes || bytes.length === 0) throw new WebhookVerificationError("The secret is not a whsec_… base64 secret");
  return bytes;
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
