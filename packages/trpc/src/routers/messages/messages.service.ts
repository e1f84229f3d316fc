import { and, eq, ne, sql } from "drizzle-orm";
import { apiKeys, contacts, engagements, handleKindOf, messages, reusableQueries, type Tenant, type Tx } from "@switchboard/db";
import { afterCursorSlot, cursorValues, oldestFirst, orderOf, toPage } from "../../lib/cursor";
import { conflict, notFound } from "../../errors";
import { contactForHandle } from "../contacts/contacts.service";
import { customerHandle, engagementView, getEngagement, lockedEngagement, startConversation } from "../engagements/engagements.service";
import { queueAiReply } from "../integrations/ai-replies";
import { appendReply } from "../integrations/twilio-send";
import type { ListMessagesInput, IngestMessageInput } from "./messages.input";
import { appendToThread, type MessageAuthor, messageColumns, type MessageRow, messageView, storedMessage } from "./thread";

/** Who is writing: a signed-in person, or an API key (an integration: a system author named after the key). */
export interface Writer {
  user: { id: string; name: string } | null;
  apiKeyId: string | null;
}

async function authorOf(tx: Tx, writer: Writer): Promise<MessageAuthor> {
  if (writer.user) return { type: "user", id: writer.user.id, name: writer.user.name };
  const [key] = writer.apiKeyId ? await tx.select({ name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.id, writer.apiKeyId)) : [];
  return { type: "system", id: null, name: key?.name ?? "API" };
}

const listOrder = oldestFirst(messages.createdAt, messages.id, (m: MessageRow) => [m.createdAt, m.id]);

interface ListMessagesValues extends Record<string, unknown> {
  engagementId: string;
  after0?: string;
  after1?: string;
  limit: number;
}

/**
 * A page of a thread in ONE statement, read in index order (messages_tenant_engagement_created_idx): the engagement
 * row (no row: NOT_FOUND, also for another tenant's) left-joined to the page of its messages.
 */
const listMessagesQuery = reusableQueries<ListMessagesValues, { engagementId: string; message: MessageRow | null }[]>(
  "messages.list",
  (db, has, name) => {
    const page = db
      .select(messageColumns)
      .from(messages)
      .where(and(eq(messages.engagementId, sql.placeholder("engagementId")), has("after0") ? afterCursorSlot(listOrder) : undefined))
      .orderBy(...orderOf(listOrder))
      .limit(sql.placeholder("limit"))
      .as("page");
    return db
      .select({ engagementId: engagements.id, message: { ...page._.selectedFields } })
      .from(engagements)
      .leftJoinLateral(page, sql`true`)
      .where(eq(engagements.id, sql.placeholder("engagementId")))
      .orderBy(page.createdAt, page.id)
      .prepare(name);
  },
);

export async function listMessages(tx: Tx, input: ListMessagesInput) {
  const rows = await listMessagesQuery(tx, {
    engagementId: input.engagementId,
    ...(input.cursor ? cursorValues(input.cursor, listOrder) : {}),
    limit: input.limit + 1,
  });
  if (rows.length === 0) throw notFound("Engagement");
  const page = rows.flatMap((r) => (r.message ? [r.message] : []));
  return toPage(page, input.limit, listOrder, messageView);
}

/**
 * A reply to the customer. Retries with the same `idempotencyKey` return the first message (a key used for another
 * conversation is CONFLICT). The engagement's row lock serialises a conversation's writers, so a retry waiting on it
 * sees the first attempt's message.
 */
export async function sendMessage(tx: Tx, writer: Writer, input: { engagementId: string; body: string; idempotencyKey?: string }) {
  // Both reads leave together (one round trip): a reply's latency is its live event's latency.
  const [engagement, author] = await Promise.all([lockedEngagement(tx, input.engagementId), authorOf(tx, writer)]);
  const key = input.idempotencyKey;
  const again = async () => {
    const first = await storedMessage(tx, { idempotencyKey: key });
    if (first && first.engagementId !== engagement.id) throw conflict("This idempotencyKey was used for another conversation");
    return first && messageView(first);
  };
  const first = key ? await again() : undefined;
  if (first) return first;
  const message = await appendReply(tx, engagement, { author, body: input.body, idempotencyKey: key });
  return message ? messageView(message) : (await again())!;
}

/**
 * The tenant's chat agent answers the customer (ai.reply job): an outbound `ai_agent` message with the events of any
 * reply. The same `idempotencyKey` (one per customer message answered) twice stores it once.
 */
export async function postAiReply(
  tx: Tx,
  reply: { engagementId: string; agent: { id: string; name: string }; body: string; idempotencyKey: string },
) {
  const engagement = await lockedEngagement(tx, reply.engagementId);
  const first = await storedMessage(tx, { idempotencyKey: reply.idempotencyKey });
  if (first) return messageView(first);
  const author = { type: "ai_agent" as const, id: reply.agent.id, name: reply.agent.name };
  const message = await appendReply(tx, engagement, { author, body: reply.body, idempotencyKey: reply.idempotencyKey });
  return messageView(message ?? (await storedMessage(tx, { idempotencyKey: reply.idempotencyKey }))!);
}

/** An internal note: in the thread for the team, never sent to the customer, not a response. */
export async function addNote(tx: Tx, writer: Writer, input: { engagementId: string; body: string }) {
  const [engagement, author] = await Promise.all([lockedEngagement(tx, input.engagementId), authorOf(tx, writer)]);
  const message = await appendToThread(tx, engagement, { kind: "note", author, body: input.body });
  return messageView(message!);
}

async function delivered(tx: Tx, externalId: string) {
  const first = await storedMessage(tx, { externalId });
  return first && { message: messageView(first), engagement: await getEngagement(tx, first.engagementId) };
}

/**
 * A customer's message from an integration: matched to its contact by the channel's handle, appended to that
 * contact's latest conversation on the channel that is not resolved, or the start of a new one (routed, with its
 * first-response promise, like engagements.create). A redelivery (same `externalId`) returns the first message and
 * its engagement and changes nothing. Deliveries for one contact are serialised by the contact's row lock (FOR NO
 * KEY UPDATE: rows that merely reference the contact are not held up).
 */
export async function ingestMessage(tx: Tx, tenant: Tenant, input: IngestMessageInput) {
  const known = await delivered(tx, input.externalId);
  if (known) return known;
  const customer = customerHandle(input.channel, input.handle);
  const contactId = await contactForHandle(tx, tenant.id, { kind: handleKindOf(input.channel), value: input.handle, name: input.name ?? null });
  const [contact] = await tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, contactId)).for("no key update");
  const again = await delivered(tx, input.externalId);
  if (again) return again;
  const authorName = contact?.name ?? input.name ?? customer;
  const [open] = await tx
    .select({ id: engagements.id })
    .from(engagements)
    .where(and(eq(engagements.contactId, contactId), eq(engagements.channel, input.channel), ne(engagements.status, "resolved")))
    .orderBy(sql`${engagements.createdAt} desc`, sql`${engagements.id} desc`)
    .limit(1);
  if (open) {
    const engagement = await lockedEngagement(tx, open.id);
    const message = await appendToThread(tx, engagement, {
      kind: "inbound",
      author: { type: "customer", id: contactId, name: authorName },
      body: input.body,
      externalId: input.externalId,
    });
    if (!message) return (await delivered(tx, input.externalId))!;
    await queueAiReply(tx, tenant, engagement, message.id);
    return { message: messageView(message), engagement: await getEngagement(tx, engagement.id) };
  }
  const started = await startConversation(tx, tenant, {
    channel: input.channel,
    customer,
    contactId,
    subject: input.subject || null,
    message: { body: input.body, authorName, externalId: input.externalId },
  });
  return { message: messageView(started!.message), engagement: engagementView(started!.engagement) };
}
