/**
 * What Twilio's callbacks change, once twilio-callbacks.ts has checked the signature: a call's status (voice), a
 * customer's SMS / WhatsApp message, or the delivery of a reply sent through Twilio (messages). Through the calls and messages services, so events, webhooks and
 * contacts follow exactly as for the procedures.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { type Call, calls, messages, type Tenant, type Tx } from "@switchboard/db";
import { advances, deliveryStatusOf, twilioErrorText } from "@switchboard/jobs";
import { badRequest } from "../../errors";
import { personName, phone } from "../../lib/inputs";
import { lockTenant } from "../../lib/locks";
import { createCall, updateCall } from "../calls/calls.service";
import { ingestMessageInput } from "../messages/messages.input";
import { ingestMessage } from "../messages/messages.service";
import type { FormParams } from "./twilio-signature";

type CallStatus = Call["status"];

/** Twilio's CallStatus values and the contract's statuses they mean (not answered: missed). */
export const callStatusOf: Record<string, CallStatus> = {
  queued: "queued",
  initiated: "queued",
  ringing: "ringing",
  "in-progress": "in_progress",
  answered: "in_progress",
  completed: "completed",
  busy: "missed",
  "no-answer": "missed",
  canceled: "missed",
  failed: "failed",
};

/**
 * How far a call has got. Twilio does not promise that status callbacks arrive in order, and retries them: a call
 * only moves forward (a late `ringing` after `completed` changes nothing), and an ended call stays as it ended.
 */
const progress: Record<CallStatus, number> = { queued: 0, ringing: 1, in_progress: 2, completed: 3, failed: 3, missed: 3 };
const ended = (s: CallStatus) => progress[s] === 3;

const first = (params: FormParams, name: string) => params.find(([k]) => k === name)?.[1];

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), { message: `must be ${prefix} followed by 32 hex digits` });

const voiceParams = z.object({
  CallSid: sid("CA"),
  CallStatus: z.string().refine((s) => s in callStatusOf, { message: "is not a status Twilio sends" }),
  Direction: z.string().max(40).default("inbound"),
  From: z.string().max(320).default(""),
  To: z.string().max(320).default(""),
  CallDuration: z.coerce.number().int().min(0).max(7 * 86400).optional(),
  Timestamp: z.string().max(100).optional(),
});

function problem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join(".") || "form"} ${issue.message}`;
}

/** Twilio's RFC 2822 `Timestamp` when it is believable (within a day of the database's clock), else now. */
function eventTime(raw: string | undefined, now: Date): Date {
  const at = raw ? new Date(raw) : null;
  return at && !Number.isNaN(at.getTime()) && Math.abs(at.getTime() - now.getTime()) < 86_400_000 ? at : now;
}

async function lockedCall(tx: Tx, callSid: string) {
  const [row] = await tx
    .select({ id: calls.id, status: calls.status, startedAt: calls.startedAt, endedAt: calls.endedAt })
    .from(calls)
    .where(eq(calls.idempotencyKey, callSid))
    .for("update");
  return row;
}

/**
 * A voice status callback: creates the call on its first callback (CallSid as the idempotency key, so a call made
 * with `calls.create { idempotencyKey: <CallSid> }` is the same call), then moves it forward. A call first seen
 * ended (Twilio's default: only `completed` is reported) starts `CallDuration` seconds before the event, so its
 * duration is Twilio's; otherwise it runs from the first callback to the one that ends it.
 */
export async function recordCallStatus(tx: Tx, tenant: Tenant, params: FormParams, now = new Date()) {
  // A leg that a call's <Dial> opened (to an agent's phone, a queue) is part of its parent, not a customer's call.
  if (first(params, "ParentCallSid")) return null;
  const parsed = voiceParams.safeParse(Object.fromEntries(params));
  if (!parsed.success) throw badRequest(problem(parsed.error));
  const p = parsed.data;
  const status = callStatusOf[p.CallStatus]!;
  const direction = p.Direction.startsWith("outbound") ? "outbound" : "inbound";
  const customer = phone.safeParse(direction === "inbound" ? p.From : p.To);
  if (!customer.success) throw badRequest(`${direction === "inbound" ? "From" : "To"} is not a phone number`);
  const at = eventTime(p.Timestamp, now);

  // The calls service takes the tenant's concurrent-calls lock before a call row for `in_progress`; taking it first
  // here too keeps one lock order when a retry races another callback of the same call (no deadlock).
  if (status === "in_progress") await lockTenant(tx, "concurrent-calls", tenant.id);
  let call = await lockedCall(tx, p.CallSid);
  if (!call) {
    const startedAt = ended(status) && p.CallDuration !== undefined ? new Date(at.getTime() - p.CallDuration * 1000) : at;
    await createCall(tx, tenant, { direction, customerPhone: customer.data, status, startedAt, idempotencyKey: p.CallSid });
    call = (await lockedCall(tx, p.CallSid))!;
  }
  const endedAt = new Date(Math.max(at.getTime(), call.startedAt.getTime()));
  if (progress[status] > progress[call.status]) {
    return updateCall(tx, tenant, { id: call.id, status, ...(ended(status) ? { endedAt } : {}) });
  }
  if (ended(status) && call.status === status && !call.endedAt) return updateCall(tx, tenant, { id: call.id, endedAt });
  return null;
}

const messageSid = /^(SM|MM)[0-9a-fA-F]{32}$/;

/**
 * A delivery report of a reply sent through Twilio (twilio.send set its SID as the message's externalId): the
 * message's deliveryStatus moves forward only (Twilio repeats callbacks and does not order them), with Twilio's
 * error code and message when it failed. A report of a message that is not one of this tenant's replies (RLS: the
 * tenant's rows only), or a status that says nothing new, changes nothing.
 */
async function recordDeliveryReport(tx: Tx, params: FormParams, twilioStatus: string) {
  const next = deliveryStatusOf(twilioStatus);
  if (!next) return null;
  const sid = first(params, "MessageSid") ?? first(params, "SmsSid") ?? "";
  if (!messageSid.test(sid)) throw badRequest("MessageSid must be SM or MM followed by 32 hex digits");
  const [message] = await tx
    .select({ id: messages.id, deliveryStatus: messages.deliveryStatus })
    .from(messages)
    .where(and(eq(messages.externalId, sid), eq(messages.kind, "outbound")))
    .for("update");
  if (!message || !advances(message.deliveryStatus, next)) return null;
  const failed = next === "failed" || next === "undelivered";
  const reason = first(params, "ErrorMessage") ?? (twilioStatus === "canceled" ? "canceled before it was sent" : undefined);
  const error = failed ? twilioErrorText(first(params, "ErrorCode"), reason) : null;
  await tx.update(messages).set({ deliveryStatus: next, deliveryError: error }).where(eq(messages.id, message.id));
  return { id: message.id, deliveryStatus: next };
}

/**
 * An inbound SMS or WhatsApp message (`From: whatsapp:+…`) becomes `messages.ingest` on its channel, idempotent on
 * MessageSid. Media arrive as links (Twilio keeps them); a message with neither text nor media is answered without
 * storing anything. A status report of an outgoing message (MessageStatus other than `received`) updates its delivery.
 */
export async function ingestTwilioMessage(tx: Tx, tenant: Tenant, params: FormParams) {
  // Delivery reports of the tenant's own outgoing messages (sent, delivered, failed…) are not a customer writing.
  const status = first(params, "MessageStatus") ?? first(params, "SmsStatus");
  if (status && status !== "received") return recordDeliveryReport(tx, params, status);
  const from = first(params, "From") ?? "";
  const whatsapp = from.toLowerCase().startsWith("whatsapp:");
  const media: string[] = [];
  const count = Math.min(Number(first(params, "NumMedia") ?? 0) || 0, 20);
  for (let i = 0; i < count; i++) {
    const url = first(params, `MediaUrl${i}`);
    const type = first(params, `MediaContentType${i}`);
    if (url) media.push(`Attachment${type ? ` (${type})` : ""}: ${url}`);
  }
  const body = [first(params, "Body")?.trim() ?? "", ...media].filter(Boolean).join("\n");
  if (!body) return null;
  // WhatsApp's profile name, when it is one we can store (it names a new contact; a message never fails on it).
  const name = personName.safeParse(first(params, "ProfileName") ?? "").data;
  const input = ingestMessageInput.safeParse({
    channel: whatsapp ? "whatsapp" : "sms",
    handle: whatsapp ? from.slice("whatsapp:".length) : from,
    ...(name ? { name } : {}),
    body,
    externalId: first(params, "MessageSid") ?? first(params, "SmsMessageSid") ?? "",
  });
  if (!input.success) throw badRequest(problem(input.error));
  if (!messageSid.test(input.data.externalId)) throw badRequest("MessageSid must be SM or MM followed by 32 hex digits");
  return ingestMessage(tx, tenant, input.data);
}
