/**
 * Writing to a conversation's thread, shared by messages.send/note/ingest and engagements.create (its first inbound
 * message): the message row, the engagement's thread fields (lastMessageAt; a reply's first response and new → open)
 * and the `message` event, all in the caller's transaction. The caller holds the engagement's row lock.
 */
import { eq } from "drizzle-orm";
import { type Engagement, engagements, type Message, messages, sendWithoutWaiting, type Tx } from "@switchboard/db";
import { recordWebhookEvent } from "@switchboard/jobs";
import { recordEvent } from "../engagements/engagement-events";
import { engagementColumns, engagementView } from "../engagements/engagements.service";

export type MessageAuthor = { type: Message["authorType"]; id: string | null; name: string };

/** The columns a message's public view needs (the search document stays in the database). */
export const messageColumns = {
  id: messages.id,
  engagementId: messages.engagementId,
  kind: messages.kind,
  authorType: messages.authorType,
  authorId: messages.authorId,
  authorName: messages.authorName,
  body: messages.body,
  createdAt: messages.createdAt,
  deliveryStatus: messages.deliveryStatus,
  deliveryError: messages.deliveryError,
  redactedAt: messages.redactedAt,
};
export type MessageRow = Pick<Message, keyof typeof messageColumns>;

export function messageView(m: MessageRow) {
  return {
    id: m.id,
    engagementId: m.engagementId,
    kind: m.kind,
    author: { type: m.authorType, id: m.authorId, name: m.authorName },
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    /** The body was removed (the tenant's retention, or the customer's erasure): it reads "". */
    redacted: m.redactedAt !== null,
    /** A reply sent out through a provider (Twilio): how it fared; null for everything else. */
    delivery: m.deliveryStatus ? { status: m.deliveryStatus, error: m.deliveryError } : null,
  };
}
export type MessageView = ReturnType<typeof messageView>;

/** The message a retry names (by `idempotencyKey` or `externalId`), if it was stored already. */
export async function storedMessage(tx: Tx, key: { idempotencyKey?: string; externalId?: string }): Promise<MessageRow | undefined> {
  const where = key.idempotencyKey
    ? eq(messages.idempotencyKey, key.idempotencyKey)
    : key.externalId
      ? eq(messages.externalId, key.externalId)
      : undefined;
  if (!where) return undefined;
  const [row] = await tx.select(messageColumns).from(messages).where(where);
  return row;
}

export interface NewThreadEntry {
  kind: Message["kind"];
  author: MessageAuthor;
  body: string;
  externalId?: string;
  idempotencyKey?: string;
  /** `queued`: a reply that a provider job sends out (integrations/twilio-send.ts). */
  deliveryStatus?: Message["deliveryStatus"];
}

/** What appending needs to know of the engagement (read under its row lock). */
export type ThreadTarget = Pick<Engagement, "id" | "tenantId" | "status" | "firstResponseAt" | "lastMessageAt">;

/**
 * Appends to `engagement`'s thread. A reply (outbound) is the first response once (`firstResponseAt`) and moves a
 * `new` conversation to `open`; then the engagement changed for the inbox too, so an `updated` event follows the
 * `message` event. Returns null when a concurrent request stored the same key first (the caller re-reads it).
 */
export async function appendToThread(
  tx: Tx,
  engagement: ThreadTarget,
  entry: NewThreadEntry,
  /** `webhook: false`: the caller records the `message.created` webhook event itself (after the engagement's). */
  opts: { webhook?: boolean } = {},
): Promise<MessageRow | null> {
  const [message] = await tx
    .insert(messages)
    .values({
      tenantId: engagement.tenantId,
      engagementId: engagement.id,
      kind: entry.kind,
      authorType: entry.author.type,
      authorId: entry.author.id,
      // A handle (up to 320 characters) can name a customer; the stored name keeps its first 200 (check constraint).
      authorName: [...entry.author.name].slice(0, 200).join(""),
      body: entry.body,
      externalId: entry.externalId ?? null,
      idempotencyKey: entry.idempotencyKey ?? null,
      deliveryStatus: entry.deliveryStatus ?? null,
    })
    .onConflictDoNothing()
    .returning(messageColumns);
  if (!message) return null;
  const at = message.createdAt;
  const answers = entry.kind === "outbound" && (engagement.firstResponseAt === null || engagement.status === "new");
  const thread = tx
    .update(engagements)
    .set({
      lastMessageAt: engagement.lastMessageAt && engagement.lastMessageAt > at ? engagement.lastMessageAt : at,
      ...(answers ? { firstResponseAt: engagement.firstResponseAt ?? at, status: engagement.status === "new" ? "open" : engagement.status } : {}),
    })
    .where(eq(engagements.id, engagement.id));
  // Webhooks: what reaches the customer or came from them (notes stay inside the team).
  const webhook = entry.kind !== "note" && opts.webhook !== false;
  const messageCreated = () => recordWebhookEvent(tx, engagement.tenantId, { type: "message.created", orderKey: engagement.id, data: messageView(message) });
  if (answers) {
    // A reply that changes the engagement returns it for its webhook event (same statement).
    const [updated] = await thread.returning(engagementColumns);
    await recordEvent(tx, engagement.tenantId, engagement.id, "message", message.id);
    await recordEvent(tx, engagement.tenantId, engagement.id, "updated");
    if (webhook) await messageCreated();
    if (updated) await recordWebhookEvent(tx, engagement.tenantId, { type: "engagement.updated", orderKey: engagement.id, data: engagementView(updated) });
  } else {
    // Nothing waits for the update's answer: it leaves with the event's and the webhook's statements, one round trip
    // for all (the connection runs them in order), since this transaction's latency is the live event's latency.
    await Promise.all([
      sendWithoutWaiting(thread, () => recordEvent(tx, engagement.tenantId, engagement.id, "message", message.id)),
      webhook ? messageCreated() : undefined,
    ]);
  }
  return message;
}
