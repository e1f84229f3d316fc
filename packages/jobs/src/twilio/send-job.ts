/**
 * `twilio.send`: a reply (a person's or the AI agent's) in an SMS or WhatsApp conversation goes to the customer
 * through Twilio's Messages API. Queued by the messages service in the reply's transaction with the message's
 * deliveryStatus `queued`; it runs in three steps so no transaction is open while Twilio answers:
 * 1. read (the tenant's scope): the message, the conversation's customer handle, the tenant's Twilio account, sender
 *    and sealed auth token. A message that has a Twilio SID already was sent: a retried job sends nothing again.
 * 2. `POST {TWILIO_API_BASE_URL}/2010-04-01/Accounts/{AccountSid}/Messages.json` (form: To, From or
 *    MessagingServiceSid, Body, StatusCallback = the tenant's messages callback URL; HTTP Basic AccountSid:AuthToken)
 *    with a deadline and no redirects. The base URL is the operator's (Twilio, or a test double), not a tenant's, so
 *    the tenant address rules of net/outbound.ts do not apply.
 * 3. write (the tenant's scope): the SID into externalId (status callbacks find the message by it) and Twilio's
 *    status; or failed with Twilio's error code and message.
 * Twilio refusing the message (4xx: a bad number, a sender not allowed, wrong credentials) fails it at once: sending
 * it again cannot help. 429, 5xx, timeouts and connection errors are thrown for pg-boss to retry with backoff; the
 * last attempt fails the message with the reason. A timeout after Twilio accepted the message (the answer lost on
 * the way) is retried like any other and may send it twice: Twilio's Messages API takes no idempotency key.
 */
import { and, eq, isNull } from "drizzle-orm";
import { type DbHandle, engagements, integrations, messages, tenants, type Tx, withScope } from "@switchboard/db";
import type { Attempt } from "../ai/reply-job";
import type { JobData } from "../queues";
import { deliveryStatusOf, twilioErrorText } from "./status";

export interface TwilioSendOptions {
  /** TWILIO_API_BASE_URL: https://api.twilio.com, or a local fake in tests. */
  apiBaseUrl: string;
  /** One request to Twilio at most. */
  timeoutSeconds: number;
  /** Opens the tenant's sealed auth token (auth's secret box); throws when it cannot. */
  openSecret(ciphertext: string, context: string): string;
  /** The tenant's `/hooks/twilio/<slug>/messages` URL on its own host: Twilio reports delivery there. */
  statusCallbackUrl(slug: string): string;
}

export interface TwilioSendDeps extends TwilioSendOptions {
  db: DbHandle;
}

type Data = JobData<"twilio.send">;

/** Where a tenant's Twilio auth token is sealed (integrations.twilio.set seals it under the same context). */
export const twilioTokenContext = (tenantId: string) => `integration:twilio:${tenantId}`;

const e164 = /^\+[1-9]\d{1,14}$/;

type Plan =
  | { kind: "skip"; reason: string }
  | { kind: "fail"; reason: string }
  | { kind: "send"; accountSid: string; authToken: string; form: Record<string, string> };

/** Twilio refused or failed to answer; `retryable`: pg-boss may try again (429, 5xx, timeouts, connections). */
export class TwilioSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Who a reply is sent from: the channel's own number (integrations.twilio.set), else the Messaging Service. */
function senderFor(whatsapp: boolean, config: Record<string, string>): Record<string, string> | null {
  const own = whatsapp ? config.whatsappFrom && `whatsapp:${config.whatsappFrom}` : config.fromNumber;
  if (own) return { From: own };
  return config.messagingServiceSid ? { MessagingServiceSid: config.messagingServiceSid } : null;
}

async function plan(tx: Tx, deps: TwilioSendDeps, data: Data): Promise<Plan> {
  const [m] = await tx
    .select({
      kind: messages.kind,
      body: messages.body,
      externalId: messages.externalId,
      deliveryStatus: messages.deliveryStatus,
      channel: engagements.channel,
      customer: engagements.customer,
    })
    .from(messages)
    .innerJoin(engagements, eq(engagements.id, messages.engagementId))
    .where(eq(messages.id, data.messageId));
  if (!m) return { kind: "skip", reason: "the message is gone" };
  if (m.kind !== "outbound" || (m.channel !== "sms" && m.channel !== "whatsapp")) return { kind: "skip", reason: "not a reply on SMS or WhatsApp" };
  if (m.externalId) return { kind: "skip", reason: "sent already" };
  if (m.deliveryStatus !== "queued") return { kind: "skip", reason: `delivery is ${m.deliveryStatus ?? "not ours"}` };

  const [row] = await tx
    .select({ config: integrations.config, secret: integrations.secretCiphertext, slug: tenants.slug })
    .from(integrations)
    .innerJoin(tenants, eq(tenants.id, integrations.tenantId))
    .where(and(eq(integrations.tenantId, data.tenantId), eq(integrations.provider, "twilio")));
  if (!row?.config.accountSid) return { kind: "fail", reason: "Twilio is not connected" };
  let authToken: string;
  try {
    authToken = deps.openSecret(row.secret, twilioTokenContext(data.tenantId));
  } catch {
    return { kind: "fail", reason: "Twilio's auth token cannot be opened: enter the credentials again" };
  }

  const whatsapp = m.channel === "whatsapp";
  const sender = senderFor(whatsapp, row.config);
  if (!sender) {
    return {
      kind: "fail",
      reason: whatsapp
        ? "No WhatsApp sender: set a WhatsApp number or a Messaging Service in the Twilio integration"
        : "No SMS sender: set a phone number or a Messaging Service in the Twilio integration",
    };
  }
  if (!e164.test(m.customer)) return { kind: "fail", reason: `The customer's number ${m.customer} is not an international number (+<country code><number>)` };
  return {
    kind: "send",
    accountSid: row.config.accountSid,
    authToken,
    form: {
      To: whatsapp ? `whatsapp:${m.customer}` : m.customer,
      ...sender,
      Body: m.body,
      StatusCallback: deps.statusCallbackUrl(row.slug),
    },
  };
}

interface Created {
  sid: string;
  status: string | undefined;
  /** Set when Twilio failed it at once (rare: most failures come as 4xx or later in a status callback). */
  error: string | null;
}

/** Twilio's Messages API: the new message's SID and status, or a TwilioSendError saying whether to try again. */
async function createMessage(deps: TwilioSendDeps, p: Extract<Plan, { kind: "send" }>): Promise<Created> {
  const url = `${deps.apiBaseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${p.accountSid}/Messages.json`;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${p.accountSid}:${p.authToken}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: new URLSearchParams(p.form).toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutSeconds * 1000),
    });
    text = await res.text();
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new TwilioSendError(timedOut ? `Twilio did not answer within ${deps.timeoutSeconds} s` : "Twilio could not be reached", true);
  }
  let json: { sid?: unknown; status?: unknown; code?: unknown; message?: unknown; error_code?: unknown; error_message?: unknown } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // Not JSON (a proxy's error page): the HTTP status decides.
  }
  if (res.status >= 200 && res.status < 300) {
    if (typeof json.sid !== "string" || !/^(SM|MM)[0-9a-fA-F]{32}$/.test(json.sid)) {
      // It may have been sent: never again, the reply is marked failed for a person to check.
      throw new TwilioSendError("Twilio's answer named no message SID", false);
    }
    const failedAtOnce = json.error_code !== null && json.error_code !== undefined;
    return {
      sid: json.sid,
      status: typeof json.status === "string" ? json.status : undefined,
      error: failedAtOnce ? twilioErrorText(String(json.error_code), typeof json.error_message === "string" ? json.error_message : null) : null,
    };
  }
  const reason = twilioErrorText(
    typeof json.code === "number" || typeof json.code === "string" ? json.code : null,
    typeof json.message === "string" ? json.message : `HTTP ${res.status}`,
  );
  // Twilio refused this message (bad number, sender, credentials): sending it again cannot help. 429 and 5xx pass.
  throw new TwilioSendError(reason, res.status === 429 || res.status >= 500 || res.status < 400);
}

async function markFailed(deps: TwilioSendDeps, data: Data, reason: string) {
  await withScope(deps.db, { tenantId: data.tenantId }, (tx) =>
    tx
      .update(messages)
      .set({ deliveryStatus: "failed", deliveryError: reason.slice(0, 500) })
      .where(and(eq(messages.id, data.messageId), isNull(messages.externalId), eq(messages.deliveryStatus, "queued"))),
  );
  return { failed: reason };
}

export async function runTwilioSend(deps: TwilioSendDeps, data: Data, attempt: Attempt) {
  const next = await withScope(deps.db, { tenantId: data.tenantId }, (tx) => plan(tx, deps, data));
  if (next.kind === "skip") return { skipped: next.reason };
  if (next.kind === "fail") return markFailed(deps, data, next.reason);

  let created: Created;
  try {
    created = await createMessage(deps, next);
  } catch (err) {
    if (!(err instanceof TwilioSendError)) throw err;
    if (err.retryable && attempt.retryCount < attempt.retryLimit) throw err;
    return markFailed(deps, data, err.retryable ? `${err.message} (gave up after ${attempt.retryCount + 1} attempts)` : err.message);
  }

  const status = deliveryStatusOf(created.status) ?? "queued";
  return withScope(deps.db, { tenantId: data.tenantId }, async (tx) => {
    const [row] = await tx
      .update(messages)
      .set({ externalId: created.sid, deliveryStatus: status, deliveryError: status === "failed" || status === "undelivered" ? created.error : null })
      .where(and(eq(messages.id, data.messageId), isNull(messages.externalId)))
      .returning({ id: messages.id });
    return row ? { sent: created.sid, status } : { skipped: "sent already", sid: created.sid };
  });
}
