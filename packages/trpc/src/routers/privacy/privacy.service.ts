import { and, asc, count, eq, inArray, isNotNull, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import {
  calls,
  contactHandles,
  contacts,
  emailOutbox,
  engagements,
  leads,
  messages,
  normaliseHandle,
  type Tx,
  webhookEvents,
} from "@switchboard/db";
import { forgetJobResults, recordWebhookEvent } from "@switchboard/jobs";
import { notFound } from "../../errors";
import { callView } from "../calls/calls.service";
import { recordEvent } from "../engagements/engagement-events";
import { recordEngagementUpdated } from "../engagements/engagements.service";
import { leadView } from "../leads/leads.service";
import type { FindContactInput } from "./privacy.input";

/** Runs one step of an erasure in a transaction of its own (privacy/batch-transactions.ts). */
export type InTransaction = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

/** Rows per statement and per transaction: each batch commits on its own, so locks stay short. */
export const erasureBatchSize = 1000;

/** What an erased row reads instead of the person (within each column's check: 1..320, 3..32, 1..200 characters). */
export const ERASED = { customer: "erased", phone: "erased", name: "Erased" } as const;

export interface ErasureCounts {
  messages: number;
  engagements: number;
  calls: number;
  leads: number;
}

/** The contact reached by an e-mail address or phone number (any of its handles, normalised like contacts). */
export async function findContact(tx: Tx, input: FindContactInput) {
  const kind = input.email !== undefined ? "email" : "phone";
  const value = normaliseHandle(kind, (input.email ?? input.phone)!);
  const [owner] = value
    ? await tx
        .select({ contactId: contactHandles.contactId })
        .from(contactHandles)
        .where(and(eq(contactHandles.kind, kind), eq(contactHandles.value, value)))
    : [];
  if (!owner) throw notFound("Contact");
  const [contact] = await tx.select().from(contacts).where(eq(contacts.id, owner.contactId));
  if (!contact) throw notFound("Contact");
  const handles = await tx
    .select({ kind: contactHandles.kind, value: contactHandles.value })
    .from(contactHandles)
    .where(eq(contactHandles.contactId, contact.id))
    .orderBy(asc(contactHandles.kind), asc(contactHandles.value));
  const theirs = tx.select({ id: engagements.id }).from(engagements).where(eq(engagements.contactId, contact.id));
  const [e] = await tx.select({ n: count() }).from(engagements).where(eq(engagements.contactId, contact.id));
  const [m] = await tx.select({ n: count() }).from(messages).where(inArray(messages.engagementId, theirs));
  const [c] = await tx.select({ n: count() }).from(calls).where(eq(calls.contactId, contact.id));
  const [l] = await tx.select({ n: count() }).from(leads).where(eq(leads.contactId, contact.id));
  return {
    contact: {
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      handles,
      erasedAt: contact.erasedAt?.toISOString() ?? null,
    },
    counts: { engagements: e!.n, messages: m!.n, calls: c!.n, leads: l!.n },
  };
}

/** The contact, or NOT_FOUND (another tenant's too: RLS hides it). */
export async function requireContact(tx: Tx, contactId: string) {
  const [row] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, contactId));
  if (!row) throw notFound("Contact");
}

/**
 * Step 1, one transaction: mail queued to the person's addresses goes, their handles go (nothing new can attach to
 * the contact from here on: a message from the same address starts a new contact), and the contact row becomes an
 * anonymous placeholder. The addresses are read here, before they are gone, which is why this step is first and whole.
 */
async function forgetContact(tx: Tx, tenantId: string, contactId: string): Promise<void> {
  const [contact] = await tx.select().from(contacts).where(eq(contacts.id, contactId)).for("update");
  if (!contact) throw notFound("Contact");
  const handles = await tx.select({ kind: contactHandles.kind, value: contactHandles.value }).from(contactHandles).where(eq(contactHandles.contactId, contactId));
  const addresses = [...new Set([contact.email, ...handles.filter((h) => h.kind === "email").map((h) => h.value)].filter((a): a is string => !!a))];
  if (addresses.length > 0) {
    await tx.delete(emailOutbox).where(and(eq(emailOutbox.tenantId, tenantId), inArray(sql`lower(${emailOutbox.to})`, addresses)));
  }
  await tx.delete(contactHandles).where(eq(contactHandles.contactId, contactId));
  if (contact.erasedAt && contact.name === null && contact.email === null && contact.phone === null) return;
  await tx
    .update(contacts)
    .set({ name: null, email: null, phone: null, erasedAt: sql`coalesce(${contacts.erasedAt}, now())`, updatedAt: new Date() })
    .where(eq(contacts.id, contactId));
}

/** Runs `step` (one batch per transaction) until a batch finds fewer rows than the batch size; answers the total. */
async function inBatches(inTransaction: InTransaction, step: (tx: Tx) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inTransaction(step);
    total += n;
    if (n < erasureBatchSize) return total;
  }
}

/**
 * Erases a customer (privacy.eraseContact): personal data deleted or anonymised, irreversibly, each batch of each
 * table in a transaction of its own. The rows stay (analytics counts, durations, statuses, CSAT scores), still linked
 * to the now anonymous contact, which is how a re-run finds what an interrupted one left and continues.
 *
 * - mail to the person's addresses, their handles, the contact's name, e-mail and phone (step 1, above);
 * - message bodies in their conversations, notes included (agents write about the customer): '' and `redactedAt`;
 *   the customer's own lines lose their author name, provider errors (which quote numbers) go;
 * - what jobs answered about their messages (pg-boss keeps answers for days; a failed SMS quotes the number);
 * - webhook events about their conversations, calls and leads (their deliveries with them);
 * - engagements: the handle reads "erased", subject, legacy first message and CSAT comment go;
 * - calls: the number reads "erased", transcript and outcome go; leads: name "Erased", phone, e-mail, source go;
 *   each such row is announced as updated (live screens, and `*.updated` webhooks with `erased: true`).
 *
 * Answers the rows anonymised by this call: zeros for a contact already erased.
 */
export async function eraseContact(inTransaction: InTransaction, tenantId: string, contactId: string): Promise<ErasureCounts> {
  await inTransaction((tx) => forgetContact(tx, tenantId, contactId));
  const limit = erasureBatchSize;
  // The person's rows, by id (nothing new attaches to the contact once its handles are gone). Every statement below
  // names them (or the contact) outside its batch subquery too, so each batch reads along their indexes, never the
  // whole tenant's table.
  const about = await inTransaction(async (tx) => ({
    engagements: (await tx.select({ id: engagements.id }).from(engagements).where(and(eq(engagements.tenantId, tenantId), eq(engagements.contactId, contactId)))).map((r) => r.id),
    calls: (await tx.select({ id: calls.id }).from(calls).where(and(eq(calls.tenantId, tenantId), eq(calls.contactId, contactId)))).map((r) => r.id),
    leads: (await tx.select({ id: leads.id }).from(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.contactId, contactId)))).map((r) => r.id),
  }));

  const erasedMessages =
    about.engagements.length === 0 ? 0 : await inBatches(inTransaction, async (tx) => (await messagesBatch(tx, tenantId, about.engagements)).length);

  // What jobs answered about their messages (a failed SMS names the number it could not reach).
  if (about.engagements.length > 0) {
    await inTransaction(async (tx) => {
      const theirMessages = await tx
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.tenantId, tenantId), sql`${messages.engagementId} = any(${uuidArray(about.engagements)})`));
      await forgetJobResults(tx, tenantId, theirMessages.map((m) => m.id));
    });
  }

  // Events carry the views as sent (engagement, message, call, lead): matched by the rows they are about. The
  // outbox has no index on its payloads: a batch reads the tenant's events, which webhooks.prune keeps to 30 days.
  const rowIds = [...about.engagements, ...about.calls, ...about.leads];
  const mentions: SQL[] = [sql`${webhookEvents.data}->>'contactId' = ${contactId}`];
  if (rowIds.length > 0) mentions.push(sql`${webhookEvents.data}->>'id' = any(${textArray(rowIds)})`);
  if (about.engagements.length > 0) mentions.push(sql`${webhookEvents.data}->>'engagementId' = any(${textArray(about.engagements)})`);
  // The erasure's own announcements (below) carry nothing personal: a resumed erasure leaves them to be delivered.
  const announcesNoErasure = sql`${webhookEvents.data}->>'erased' is distinct from 'true'`;
  await inBatches(inTransaction, async (tx) => {
    const rows = await tx
      .delete(webhookEvents)
      .where(
        and(
          eq(webhookEvents.tenantId, tenantId),
          inArray(
            webhookEvents.id,
            tx
              .select({ id: webhookEvents.id })
              .from(webhookEvents)
              .where(and(eq(webhookEvents.tenantId, tenantId), or(...mentions), announcesNoErasure))
              .limit(limit),
          ),
        ),
      )
      .returning({ id: webhookEvents.id });
    return rows.length;
  });

  // Each anonymised row is announced like any change (open screens refresh; webhook receivers learn of the erasure).
  const erasedEngagements = await anonymiseRows(
    inTransaction,
    tenantId,
    contactId,
    engagements,
    { customer: ERASED.customer, subject: null, message: null, csatComment: null },
    async (tx, ids) => {
      for (const id of ids) await recordEvent(tx, tenantId, id, "updated");
      for (const id of ids) await recordEngagementUpdated(tx, tenantId, id);
    },
  );
  const erasedCalls = await anonymiseRows(
    inTransaction,
    tenantId,
    contactId,
    calls,
    { customerPhone: ERASED.phone, transcript: null, outcome: null },
    async (tx, ids) => {
      for (const c of await tx.select().from(calls).where(inArray(calls.id, ids))) {
        await recordWebhookEvent(tx, tenantId, { type: "call.updated", orderKey: c.id, data: callView(c) });
      }
    },
  );
  const erasedLeads = await anonymiseRows(
    inTransaction,
    tenantId,
    contactId,
    leads,
    { name: ERASED.name, phone: null, email: null, source: null },
    async (tx, ids) => {
      for (const l of await tx.select().from(leads).where(inArray(leads.id, ids))) {
        await recordWebhookEvent(tx, tenantId, { type: "lead.updated", orderKey: l.id, data: leadView(l) });
      }
    },
  );

  return { messages: erasedMessages, engagements: erasedEngagements, calls: erasedCalls, leads: erasedLeads };
}

/**
 * One batch of the person's messages (in their conversations, by id) not fully erased yet: body '', `redactedAt`, no
 * provider error, and "Erased" as the customer's author name. Its plan is tested (privacy.test.ts).
 */
export function messagesBatch(tx: Tx, tenantId: string, engagementIds: readonly string[], limit = erasureBatchSize) {
  const inTheirThreads = and(
    eq(messages.tenantId, tenantId),
    sql`${messages.engagementId} = any(${uuidArray(engagementIds)})`,
    or(
      isNull(messages.redactedAt),
      ne(messages.body, ""),
      isNotNull(messages.deliveryError),
      and(eq(messages.authorType, "customer"), ne(messages.authorName, ERASED.name)),
    ),
  );
  return tx
    .update(messages)
    .set({
      body: "",
      redactedAt: sql`coalesce(${messages.redactedAt}, now())`,
      deliveryError: null,
      authorName: sql`case when ${messages.authorType} = 'customer' then ${ERASED.name} else ${messages.authorName} end`,
    })
    .where(and(inTheirThreads, inArray(messages.id, tx.select({ id: messages.id }).from(messages).where(inTheirThreads).limit(limit))))
    .returning({ id: messages.id });
}

/** The rows the person's erasure anonymises in place (`erasedAt` marks them: a re-run skips them). */
type Anonymisable = typeof engagements | typeof calls | typeof leads;

/**
 * Sets `fields` (and `erasedAt`) on the contact's rows of `table` not erased yet, a batch per transaction, and runs
 * `announce` with each batch's ids in its transaction; answers how many.
 */
function anonymiseRows<T extends Anonymisable>(
  inTransaction: InTransaction,
  tenantId: string,
  contactId: string,
  table: T,
  fields: Partial<T["$inferInsert"]>,
  announce: (tx: Tx, ids: string[]) => Promise<void>,
): Promise<number> {
  const t = table as Anonymisable;
  const pending = and(eq(t.tenantId, tenantId), eq(t.contactId, contactId), isNull(t.erasedAt));
  return inBatches(inTransaction, async (tx) => {
    const rows = await tx
      .update(t)
      .set({ ...fields, erasedAt: sql`now()`, updatedAt: new Date() })
      .where(and(pending, inArray(t.id, tx.select({ id: t.id }).from(t).where(pending).limit(erasureBatchSize))))
      .returning({ id: t.id });
    await announce(tx, rows.map((r) => r.id));
    return rows.length;
  });
}

/** A text[] / uuid[] parameter of ids (one bound value, whatever their number). */
const textArray = (values: readonly string[]) => sql`${`{${values.join(",")}}`}::text[]`;
const uuidArray = (values: readonly string[]) => sql`${`{${values.join(",")}}`}::uuid[]`;
