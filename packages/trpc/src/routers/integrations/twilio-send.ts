/**
 * Replies that leave through Twilio: an outbound message (a person's or the AI agent's; notes never) in an SMS or
 * WhatsApp conversation of a tenant that connected Twilio is stored with deliveryStatus `queued` and the
 * `twilio.send` job is queued in the same transaction (a rollback sends nothing). The job itself, and what Twilio
 * reports afterwards, are @switchboard/jobs twilio/ and twilio-callbacks.service.ts.
 */
import { and, eq } from "drizzle-orm";
import { type Engagement, integrations, type Tx } from "@switchboard/db";
import { enqueue } from "@switchboard/jobs";
import { appendToThread, type MessageRow, type NewThreadEntry, type ThreadTarget } from "../messages/thread";

const twilioChannels: ReadonlySet<Engagement["channel"]> = new Set(["sms", "whatsapp"]);

/** Whether Twilio carries this conversation's replies: its channel is Twilio's and the tenant connected Twilio. */
async function sentByTwilio(tx: Tx, engagement: Pick<Engagement, "tenantId" | "channel">): Promise<boolean> {
  if (!twilioChannels.has(engagement.channel)) return false;
  const [row] = await tx
    .select({ provider: integrations.provider })
    .from(integrations)
    .where(and(eq(integrations.tenantId, engagement.tenantId), eq(integrations.provider, "twilio")));
  return row !== undefined;
}

/** appendToThread for a reply (kind outbound): sent out through Twilio when the conversation is Twilio's. */
export async function appendReply(
  tx: Tx,
  engagement: ThreadTarget & Pick<Engagement, "channel">,
  entry: Omit<NewThreadEntry, "kind" | "deliveryStatus">,
): Promise<MessageRow | null> {
  const twilio = await sentByTwilio(tx, engagement);
  const message = await appendToThread(tx, engagement, { ...entry, kind: "outbound", ...(twilio ? { deliveryStatus: "queued" } : {}) });
  // wake: the worker sends it at commit rather than at its next poll (a customer waits for the answer).
  if (message && twilio) await enqueue(tx, "twilio.send", { tenantId: engagement.tenantId, messageId: message.id }, { wake: true });
  return message;
}
