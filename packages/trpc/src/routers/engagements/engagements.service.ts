import { and, eq, inArray, isNull, notInArray, type SQLWrapper, sql } from "drizzle-orm";
import {
  type Engagement,
  engagementLabels,
  engagements,
  handleKindOf,
  labels,
  memberships,
  messages,
  normaliseHandle,
  reusableQueries,
  type Tenant,
  type Tx,
} from "@switchboard/db";
import { recordWebhookEvent } from "@switchboard/jobs";
import { afterCursorSlot, cursorValues, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { firstResponseDue } from "../../lib/business-hours";
import { badRequest, conflict, notFound } from "../../errors";
import { routeNewEngagement } from "../availability/routing";
import { contactForHandle } from "../contacts/contacts.service";
import { aiAnswers, queueAiReply } from "../integrations/ai-replies";
import { type CsatLinks, csatSurveyUrl, onResolved } from "../csat/csat.service";
import { appendToThread, type MessageRow, messageView } from "../messages/thread";
import { recordEvent } from "./engagement-events";
import type { CreateEngagementInput, ListEngagementsInput } from "./engagements.input";

/**
 * The columns an engagement's public view needs (not the legacy `message`, not bookkeeping), and its labels: one
 * array per row from engagement_labels' primary key, inside the same statement (no query per row).
 */
export const engagementColumns = {
  id: engagements.id,
  tenantId: engagements.tenantId,
  channel: engagements.channel,
  customer: engagements.customer,
  subject: engagements.subject,
  status: engagements.status,
  priority: engagements.priority,
  assignedUserId: engagements.assignedUserId,
  contactId: engagements.contactId,
  createdAt: engagements.createdAt,
  firstResponseAt: engagements.firstResponseAt,
  firstResponseDueAt: engagements.firstResponseDueAt,
  resolvedAt: engagements.resolvedAt,
  lastMessageAt: engagements.lastMessageAt,
  csat: engagements.csat,
  csatSource: engagements.csatSource,
  csatComment: engagements.csatComment,
  erasedAt: engagements.erasedAt,
  // The outer row by table name: drizzle writes a select's columns unqualified, which inside the subquery would
  // name engagement_labels' own columns.
  labelIds: sql<string[]>`array(select l.label_id from ${engagementLabels} l where l.tenant_id = "engagements"."tenant_id" and l.engagement_id = "engagements"."id" order by l.label_id)`,
};
export type EngagementRow = Pick<Engagement, Exclude<keyof typeof engagementColumns, "labelIds">> & { labelIds: string[] };

/** The first response came after its promise, or none came and the promise has passed. */
function slaBreached(e: Pick<Engagement, "firstResponseAt" | "firstResponseDueAt">, now: Date): boolean {
  if (!e.firstResponseDueAt) return false;
  return (e.firstResponseAt ?? now) > e.firstResponseDueAt;
}

export function engagementView(e: EngagementRow, now = new Date()) {
  return {
    id: e.id,
    channel: e.channel,
    customer: e.customer,
    subject: e.subject,
    status: e.status,
    priority: e.priority,
    assignedUserId: e.assignedUserId,
    contactId: e.contactId,
    labelIds: e.labelIds,
    createdAt: e.createdAt.toISOString(),
    firstResponseAt: e.firstResponseAt?.toISOString() ?? null,
    firstResponseDueAt: e.firstResponseDueAt?.toISOString() ?? null,
    slaBreached: slaBreached(e, now),
    resolvedAt: e.resolvedAt?.toISOString() ?? null,
    lastMessageAt: e.lastMessageAt?.toISOString() ?? null,
    csat: e.csat,
    csatSource: e.csatSource,
    csatComment: e.csatComment,
    /** The customer's erasure anonymised it (privacy.eraseContact): customer "erased", no subject or comment. */
    erased: e.erasedAt !== null,
  };
}
export type EngagementView = ReturnType<typeof engagementView>;

const listOrder = newestFirst(engagements.createdAt, engagements.id, (e: EngagementRow) => [e.createdAt, e.id]);

export interface ListEngagementsValues extends Record<string, unknown> {
  channel: Engagement["channel"] | undefined;
  status: Engagement["status"] | undefined;
  assignedUserId: string | undefined;
  unassigned: true | undefined;
  labelId: string | undefined;
  contactId: string | undefined;
  q: string | undefined;
  /** The search window's row cap (searchWindow). */
  windowLimit?: number;
  after0?: string;
  after1?: string;
  limit: number;
}

/**
 * `q`: the engagements whose subject or any message matches, each side read off its GIN index
 * (messages_search_idx, engagements_subject_search_idx; the expressions must stay identical to the indexes'). The
 * policies keep both sides inside the tenant; the plan is checked by an EXPLAIN test as the app role.
 */
export const searchMatch = (q: SQLWrapper) => sql`${engagements.id} in (
  select ${messages.engagementId} from ${messages} where ${messages.search} @@ websearch_to_tsquery('simple', ${q})
  union
  select s.id from ${engagements} s where to_tsvector('simple', s.subject) @@ websearch_to_tsquery('simple', ${q}))`;

/** The list's conditions other than `q` and the cursor, for the statements below. */
function listFilters(db: Pick<Tx, "select">, has: (key: keyof ListEngagementsValues & string) => boolean) {
  return [
    has("channel") ? eq(engagements.channel, sql.placeholder("channel")) : undefined,
    has("status") ? eq(engagements.status, sql.placeholder("status")) : undefined,
    has("assignedUserId") ? eq(engagements.assignedUserId, sql.placeholder("assignedUserId")) : undefined,
    has("unassigned") ? isNull(engagements.assignedUserId) : undefined,
    has("contactId") ? eq(engagements.contactId, sql.placeholder("contactId")) : undefined,
    has("labelId")
      ? inArray(
          engagements.id,
          db.select({ id: engagementLabels.engagementId }).from(engagementLabels).where(eq(engagementLabels.labelId, sql.placeholder("labelId"))),
        )
      : undefined,
    has("after0") ? afterCursorSlot(listOrder) : undefined,
  ];
}

/** The inbox: one reusable query per combination of filters given (see calls.list). */
const listEngagementsQuery = reusableQueries<ListEngagementsValues, EngagementRow[]>("engagements.list", (db, has, name) =>
  db
    .select(engagementColumns)
    .from(engagements)
    .where(and(...listFilters(db, has), has("q") ? searchMatch(sql.placeholder("q")) : undefined))
    .orderBy(...orderOf(listOrder))
    .limit(sql.placeholder("limit"))
    .prepare(name),
);

/**
 * How many of the list's next engagements a search reads first. A common word fills a page within its newest few
 * dozen conversations, while its GIN posting list holds every tenant's hits (the tenant's policy applies after the
 * index): walking the newest conversations and stopping is then far cheaper. Most tenants' whole inbox fits in the
 * window; beyond it the GIN indexes answer. Bench (300 tenants, 1.6M messages, load ~2): p95 of all terms 92 ms at
 * 500, 80 ms at 2,000 (common 99 → 87, medium 36 → 29, rare 13 → 12).
 */
export const SEARCH_WINDOW = 2000;

/**
 * The matches among the next SEARCH_WINDOW engagements of the list (filters and cursor applied), numbered in list
 * order, plus the window's last row whatever it is (it tells a window that reached its end from a shorter list). The
 * scan streams: it stops as soon as it has `windowLimit` rows, so a common word reads a few dozen conversations.
 * The correlated subquery names the outer row by table (drizzle writes a select's columns unqualified, and inside the
 * subquery a bare "id" would be the message's). Its `offset 0` keeps PostgreSQL from turning the EXISTS into a hashed
 * subplan, which reads every message of the tenant matching the word once, up front (304 ms for a common word in a
 * 20,000-conversation tenant), instead of probing each conversation's thread by index as the scan streams (3 ms).
 */
const searchWindowQuery = reusableQueries<ListEngagementsValues, { id: string; matched: boolean; position: number }[]>(
  "engagements.list.window",
  (db, has, name) => {
    const window = db
      .select({
        id: engagements.id,
        matched: sql<boolean>`(to_tsvector('simple', "engagements"."subject") @@ websearch_to_tsquery('simple', ${sql.placeholder("q")})
          or exists (select 1 from ${messages} m where m.tenant_id = "engagements"."tenant_id" and m.engagement_id = "engagements"."id"
                      and m.search @@ websearch_to_tsquery('simple', ${sql.placeholder("q")}) offset 0))`.as("matched"),
        position: sql<number>`row_number() over (order by ${sql.join(orderOf(listOrder), sql`, `)})`.mapWith(Number).as("position"),
      })
      .from(engagements)
      .where(and(...listFilters(db, has)))
      .orderBy(...orderOf(listOrder))
      .limit(SEARCH_WINDOW)
      .as("w");
    return db
      .select({ id: window.id, matched: window.matched, position: window.position })
      .from(window)
      .where(sql`${window.matched} or ${window.position} = ${SEARCH_WINDOW}`)
      .limit(sql.placeholder("windowLimit"))
      .prepare(name);
  },
);

/**
 * The window's first `values.limit` matches, and whether they settle the page: they fill it (anything further is
 * older), or the window reached the list's end.
 */
export async function searchWindow(tx: Tx, values: ListEngagementsValues): Promise<{ hits: string[]; settled: boolean }> {
  const rows = (await searchWindowQuery(tx, { ...values, windowLimit: values.limit + 1 })).sort((a, b) => a.position - b.position);
  const hits = rows.filter((r) => r.matched).slice(0, values.limit).map((r) => r.id);
  const windowFull = rows.some((r) => r.position === SEARCH_WINDOW);
  return { hits, settled: hits.length === values.limit || !windowFull };
}

/**
 * A search's page, exact either way: first the newest SEARCH_WINDOW engagements of the list, checked one by one
 * (searchWindow); otherwise the GIN indexes answer (listEngagementsQuery with `q`).
 */
async function searchPage(tx: Tx, values: ListEngagementsValues): Promise<EngagementRow[]> {
  const { hits, settled } = await searchWindow(tx, values);
  if (!settled) return listEngagementsQuery(tx, values);
  if (hits.length === 0) return [];
  return tx.select(engagementColumns).from(engagements).where(inArray(engagements.id, hits)).orderBy(...orderOf(listOrder));
}

/** `me` is the calling person (an API key has none: BAD_REQUEST). */
export async function listEngagements(tx: Tx, input: ListEngagementsInput, me: string | null) {
  const assignee = input.assignedUserId;
  if (assignee === "me" && !me) throw badRequest("An API key is nobody: name the assignee's user id instead of \"me\"");
  const values: ListEngagementsValues = {
    channel: input.channel,
    status: input.status,
    assignedUserId: assignee === "me" ? me! : assignee === "none" ? undefined : assignee,
    unassigned: assignee === "none" ? true : undefined,
    labelId: input.labelId,
    contactId: input.contactId,
    q: input.q,
    ...(input.cursor ? cursorValues(input.cursor, listOrder) : {}),
    limit: input.limit + 1,
  };
  const rows = values.q === undefined ? await listEngagementsQuery(tx, values) : await searchPage(tx, values);
  const now = new Date();
  return toPage(rows, input.limit, listOrder, (row) => engagementView(row, now));
}

async function engagementRow(tx: Tx, id: string, lock = false): Promise<EngagementRow> {
  const query = tx.select(engagementColumns).from(engagements).where(eq(engagements.id, id));
  const [row] = lock ? await query.for("update", { of: engagements }) : await query;
  if (!row) throw notFound("Engagement");
  return row;
}

export async function getEngagement(tx: Tx, id: string): Promise<EngagementView> {
  return engagementView(await engagementRow(tx, id));
}

/** engagements.get: the list item and, once resolved, the customer's survey link. */
export async function getEngagementWithSurvey(tx: Tx, id: string, links: CsatLinks) {
  const row = await engagementRow(tx, id);
  return { ...engagementView(row), csatSurveyUrl: csatSurveyUrl(links, row) };
}

/** The engagement, row-locked for a change (every writer of an engagement takes this lock first). */
export const lockedEngagement = (tx: Tx, id: string) => engagementRow(tx, id, true);

async function findByKey(tx: Tx, key: string | undefined) {
  if (!key) return undefined;
  const [row] = await tx.select(engagementColumns).from(engagements).where(eq(engagements.idempotencyKey, key));
  return row;
}

/** A channel's customer handle in its stored form (e-mail lower-cased, phone E.164…); nothing left is BAD_REQUEST. */
export function customerHandle(channel: Engagement["channel"], raw: string): string {
  const value = normaliseHandle(handleKindOf(channel), raw);
  if (value === null) throw badRequest("Name the customer's handle");
  return value;
}

export interface NewConversation {
  channel: Engagement["channel"];
  /** The stored form (customerHandle). */
  customer: string;
  contactId: string;
  subject: string | null;
  priority?: Engagement["priority"];
  idempotencyKey?: string;
  /** The customer's first message. */
  message: { body: string; authorName: string; externalId?: string };
}

/**
 * A new conversation with its first inbound message, in the caller's transaction: the first-response promise
 * (tenant's business hours and SLA), routing (not when AI replies cover the channel: the agent answers first and
 * routes at its handoff), the `created` event, then the message, its `message` event and the AI reply job. Returns
 * undefined when a concurrent creation with the same idempotencyKey won (the caller re-reads it).
 */
export async function startConversation(
  tx: Tx,
  tenant: Tenant,
  c: NewConversation,
): Promise<{ engagement: EngagementRow; message: MessageRow } | undefined> {
  const [inserted] = await tx
    .insert(engagements)
    .values({
      tenantId: tenant.id,
      channel: c.channel,
      customer: c.customer,
      contactId: c.contactId,
      subject: c.subject,
      ...(c.priority ? { priority: c.priority } : {}),
      firstResponseDueAt: firstResponseDue(tenant.businessHours, tenant.sla, new Date()),
      idempotencyKey: c.idempotencyKey ?? null,
    })
    .onConflictDoNothing({ target: [engagements.tenantId, engagements.idempotencyKey] })
    .returning({ id: engagements.id });
  if (!inserted) return undefined;
  const aiFirst = await aiAnswers(tx, tenant, c.channel);
  if (!aiFirst) await routeNewEngagement(tx, tenant, inserted.id);
  await recordEvent(tx, tenant.id, inserted.id, "created");
  const message = await appendToThread(
    tx,
    { id: inserted.id, tenantId: tenant.id, status: "new", firstResponseAt: null, lastMessageAt: null },
    {
      kind: "inbound",
      author: { type: "customer", id: c.contactId, name: c.message.authorName },
      body: c.message.body,
      externalId: c.message.externalId,
    },
    { webhook: false },
  );
  // The same provider message id stored by a concurrent delivery under another handle: roll this one back.
  if (!message) throw conflict("This message was delivered already");
  if (aiFirst) await queueAiReply(tx, tenant, { id: inserted.id, channel: c.channel, assignedUserId: null }, message.id, true);
  const engagement = await engagementRow(tx, inserted.id);
  // Webhook receivers see the conversation before its first message (the thread recorded the message's own event).
  await recordWebhookEvent(tx, tenant.id, { type: "engagement.created", orderKey: engagement.id, data: engagementView(engagement) });
  await recordWebhookEvent(tx, tenant.id, { type: "message.created", orderKey: engagement.id, data: messageView(message) });
  return { engagement, message };
}

/**
 * The customer is matched to a contact by the channel's handle (or becomes one). Messaging webhooks retry: with an
 * `idempotencyKey` a retry returns the first engagement (and emits nothing).
 */
export async function createEngagement(tx: Tx, tenant: Tenant, input: CreateEngagementInput): Promise<EngagementView> {
  const existing = await findByKey(tx, input.idempotencyKey);
  if (existing) return engagementView(existing);
  const customer = customerHandle(input.channel, input.customer);
  const contactId = await contactForHandle(tx, tenant.id, { kind: handleKindOf(input.channel), value: input.customer });
  const started = await startConversation(tx, tenant, {
    channel: input.channel,
    customer,
    contactId,
    subject: input.subject || null,
    priority: input.priority,
    idempotencyKey: input.idempotencyKey,
    message: { body: input.message, authorName: customer },
  });
  if (!started) return engagementView((await findByKey(tx, input.idempotencyKey))!);
  return engagementView(started.engagement);
}

/** Applies a change and emits "updated", or does nothing (and emits nothing) when the change is a no-op. */
async function change(tx: Tx, tenant: Tenant, current: EngagementRow, fields: Partial<Engagement>): Promise<EngagementRow> {
  const keys = Object.keys(fields) as (keyof Engagement & keyof EngagementRow)[];
  const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? +a === +b : a === b);
  if (keys.every((k) => same(current[k], fields[k]))) return current;
  const [row] = await tx.update(engagements).set(fields).where(eq(engagements.id, current.id)).returning(engagementColumns);
  await recordEvent(tx, tenant.id, current.id, "updated");
  await recordWebhookEvent(tx, tenant.id, { type: "engagement.updated", orderKey: row!.id, data: engagementView(row!) });
  return row!;
}

/**
 * The `engagement.updated` webhook event of a change made elsewhere (routing, hand-offs, the customer's rating, a
 * contact merge): the engagement as the procedures return it, read now. The caller holds the engagement's row lock.
 */
export async function recordEngagementUpdated(tx: Tx, tenantId: string, id: string): Promise<void> {
  const row = await engagementRow(tx, id);
  await recordWebhookEvent(tx, tenantId, { type: "engagement.updated", orderKey: id, data: engagementView(row) });
}

/**
 * The first move out of `new` is the first response; `resolved` stamps resolvedAt (cleared on reopening) and issues
 * the customer's survey (csat: mailed for e-mail conversations, in this transaction).
 */
export async function updateEngagementStatus(tx: Tx, tenant: Tenant, input: { id: string; status: Engagement["status"] }, links: CsatLinks) {
  const current = await lockedEngagement(tx, input.id);
  if (current.status === input.status) return engagementView(current);
  const now = new Date();
  const row = await change(tx, tenant, current, {
    status: input.status,
    firstResponseAt: current.firstResponseAt ?? (input.status === "new" ? null : now),
    resolvedAt: input.status === "resolved" ? now : null,
  });
  if (row.status === "resolved") await onResolved(tx, tenant, row, links);
  return engagementView(row);
}

/** Assigns to a member of this tenant (or unassigns). Anyone else is NOT_FOUND. */
export async function assignEngagement(tx: Tx, tenant: Tenant, input: { id: string; userId: string | null }) {
  const current = await lockedEngagement(tx, input.id);
  if (input.userId) {
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.userId, input.userId), eq(memberships.tenantId, tenant.id)));
    if (!member) throw notFound("Member");
  }
  return engagementView(await change(tx, tenant, current, { assignedUserId: input.userId }));
}

/**
 * AI replies hand the conversation to people (ai.reply job): the agent answers no more (`aiHandedOffAt`), it is
 * unassigned and routed like a new conversation, and a note tells the team why (never sent to the customer).
 */
export async function handOffToPeople(tx: Tx, tenant: Tenant, id: string, note: string): Promise<void> {
  const current = await lockedEngagement(tx, id);
  await tx.update(engagements).set({ aiHandedOffAt: new Date(), assignedUserId: null, updatedAt: sql`now()` }).where(eq(engagements.id, id));
  await routeNewEngagement(tx, tenant, id);
  await recordEvent(tx, tenant.id, id, "updated");
  await recordEngagementUpdated(tx, tenant.id, id);
  await appendToThread(tx, current, { kind: "note", author: { type: "system", id: null, name: "AI agent" }, body: note });
}

/** An agent's rating (the customer's comes through the survey link, and an agent never overwrites it). */
export async function rateEngagement(tx: Tx, tenant: Tenant, input: { id: string; csat: number }) {
  const current = await lockedEngagement(tx, input.id);
  if (current.csatSource === "customer") throw conflict("The customer rated this conversation");
  return engagementView(await change(tx, tenant, current, { csat: input.csat, csatSource: "agent" }));
}

export async function setEngagementPriority(tx: Tx, tenant: Tenant, input: { id: string; priority: Engagement["priority"] }) {
  const current = await lockedEngagement(tx, input.id);
  return engagementView(await change(tx, tenant, current, { priority: input.priority }));
}

/** Replaces the engagement's labels; a label this tenant does not have is NOT_FOUND. Unchanged: no event. */
export async function setEngagementLabels(tx: Tx, tenant: Tenant, input: { id: string; labelIds: string[] }) {
  const current = await lockedEngagement(tx, input.id);
  const wanted = [...new Set(input.labelIds)];
  if (wanted.length > 0) {
    const known = await tx.select({ id: labels.id }).from(labels).where(inArray(labels.id, wanted));
    if (known.length !== wanted.length) throw notFound("Label");
  }
  const had = new Set(current.labelIds);
  if (wanted.length === had.size && wanted.every((id) => had.has(id))) return engagementView(current);
  await tx
    .delete(engagementLabels)
    .where(
      and(
        eq(engagementLabels.engagementId, current.id),
        wanted.length > 0 ? notInArray(engagementLabels.labelId, wanted) : undefined,
      ),
    );
  const added = wanted.filter((id) => !had.has(id));
  if (added.length > 0) {
    await tx
      .insert(engagementLabels)
      .values(added.map((labelId) => ({ tenantId: tenant.id, engagementId: current.id, labelId })))
      .onConflictDoNothing();
  }
  await recordEvent(tx, tenant.id, current.id, "updated");
  const view = await getEngagement(tx, current.id);
  await recordWebhookEvent(tx, tenant.id, { type: "engagement.updated", orderKey: current.id, data: view });
  return view;
}
