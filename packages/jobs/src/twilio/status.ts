/**
 * How a reply sent through Twilio fares (messages.deliveryStatus), from Twilio's own message statuses: in its answer
 * to the send and in its status callbacks. Twilio does not promise callbacks in order and repeats them, so a status
 * only moves forward: queued → sent → delivered, or to failed / undelivered, which end it.
 */
import type { Message } from "@switchboard/db";

export type DeliveryStatus = NonNullable<Message["deliveryStatus"]>;

/** Twilio's MessageStatus values (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values). */
const twilioStatuses: Record<string, DeliveryStatus> = {
  accepted: "queued",
  scheduled: "queued",
  queued: "queued",
  sending: "queued",
  sent: "sent",
  delivered: "delivered",
  // WhatsApp's read receipt: delivered, and then some.
  read: "delivered",
  undelivered: "undelivered",
  failed: "failed",
  canceled: "failed",
};

/** Our status for Twilio's, or null for one that says nothing about an outgoing message (`received`, unknown). */
export function deliveryStatusOf(twilioStatus: string | undefined): DeliveryStatus | null {
  return (twilioStatus && Object.hasOwn(twilioStatuses, twilioStatus) && twilioStatuses[twilioStatus]) || null;
}

const rank: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, failed: 3, undelivered: 3 };

const ended = (s: DeliveryStatus) => s === "delivered" || s === "failed" || s === "undelivered";

/** Whether `next` is news after `current` (null: not a message we send out): further along, never out of an end. */
export function advances(current: DeliveryStatus | null, next: DeliveryStatus): boolean {
  if (current === null || ended(current)) return false;
  return rank[next] > rank[current];
}

/** The reason shown under a failed reply: Twilio's error code and its message (https://www.twilio.com/docs/errors). */
export function twilioErrorText(code: string | number | null | undefined, message: string | null | undefined): string {
  const text = (message ?? "").replace(/\s+/g, " ").trim();
  const c = code === null || code === undefined || code === "" ? null : String(code).slice(0, 10);
  const explained = text || (c ? `see https://www.twilio.com/docs/errors/${encodeURIComponent(c)}` : "no reason given");
  return (c ? `Twilio error ${c}: ${explained}` : explained).slice(0, 500);
}
