import { and, asc, desc, eq, ilike, inArray, like, or, type SQL, sql } from "drizzle-orm";
import {
  calls,
  type Contact,
  contactHandleKind,
  contactHandles,
  contacts,
  engagements,
  type HandleKind,
  leads,
  messages,
  normaliseHandle,
  type Tx,
} from "@switchboard/db";
import { recordWebhookEvent } from "@switchboard/jobs";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { badRequest, conflict, notFound } from "../../errors";
import { callView } from "../calls/calls.service";
import { recordEvent } from "../engagements/engagement-events";
import { engagementColumns, engagementView, recordEngagementUpdated } from "../engagements/engagements.service";
import { leadView } from "../leads/leads.service";
import type { CreateContactInput, ListContactsInput, MergeContactsInput, UpdateContactInput } from "./contacts.input";

/** A handle as a caller gives it (raw: normalised here). */
export interface HandleInput {
  kind: HandleKind;
  value: string;
}

/** contact_handles.value's limit (check constraint). */
const maxHandleLength = 320;

function normalised(handle: HandleInput): HandleInput {
  const value = normaliseHandle(handle.kind, handle.value);
  if (value === null) throw badRequest(`The ${handle.kind} handle is empty`);
  if (value.length > maxHandleLength) throw badRequest(`A handle may have at most ${maxHandleLength} characters`);
  return { kind: handle.kind, value };
}

/**
 * Which contact owns each of `handles` (normalised), in one indexed lookup. The owners are locked FOR NO KEY UPDATE:
 * a merge (FOR UPDATE) holding one waits for this transaction, and a merge that got there first makes its merged
 * contact vanish from this answer (the handle then reads as free, and claiming it meets the moved handle and re-reads
 * its new owner), so a row is never written against a contact being deleted. Not KEY SHARE, which two matchers would
 * both hold: a caller that then locks its contact FOR UPDATE (messages.ingest) would deadlock with the other.
 */
async function ownersOf(tx: Tx, handles: readonly HandleInput[]) {
  if (handles.length === 0) return [];
  return tx
    .select({
      kind: contactHandles.kind,
      value: contactHandles.value,
      contactId: contactHandles.contactId,
      name: contacts.name,
      email: contacts.email,
      phone: contacts.phone,
    })
    .from(contactHandles)
    .innerJoin(contacts, and(eq(contacts.tenantId, contactHandles.tenantId), eq(contacts.id, contactHandles.contactId)))
    .where(or(...handles.map((h) => and(eq(contactHandles.kind, h.kind), eq(contactHandles.value, h.value)))))
    .for("no key update", { of: contacts });
}

type Owner = Awaited<ReturnType<typeof ownersOf>>[number];
const ownerRow = (owners: readonly Owner[], h: HandleInput) => owners.find((o) => o.kind === h.kind && o.value === h.value);
const ownerIn = (owners: readonly Owner[], h: HandleInput) => ownerRow(owners, h)?.contactId;

/** The contact columns a handle of this kind fills. */
const primaryOf = (h: HandleInput) => (h.kind === "email" ? { email: h.value } : h.kind === "phone" ? { phone: h.value } : {});

/**
 * Claims a free handle for `contactId`. Concurrent claims of the same handle meet at the unique
 * (tenant_id, kind, value) index: the loser's ON CONFLICT DO NOTHING waits for the winner's commit and returns
 * nothing. Returns whether this call claimed it.
 */
async function claimHandle(tx: Tx, tenantId: string, contactId: string, h: HandleInput): Promise<boolean> {
  const [row] = await tx
    .insert(contactHandles)
    .values({ tenantId, contactId, kind: h.kind, value: h.value })
    .onConflictDoNothing({ target: [contactHandles.tenantId, contactHandles.kind, contactHandles.value] })
    .returning({ id: contactHandles.id });
  return row !== undefined;
}

/**
 * The contact reached by the first of `handles` that one already has (in the order given: callers put their most
 * reliable handle first), else a new contact with all of them and `name`. The other handles are added to the
 * contact when nobody owns them yet, and fill its e-mail/phone and name when those are empty.
 *
 * Race-safe: a new contact claims its first handle with ON CONFLICT DO NOTHING; when a concurrent transaction
 * claimed it first, this one's contact is removed and the winner's is used (after its commit, in this
 * transaction's next statement). Handles are claimed in the order given, so callers keep one order (e-mail before
 * phone) and concurrent claims cannot wait on each other in a cycle.
 */
export async function contactForHandles(
  tx: Tx,
  tenantId: string,
  raw: readonly HandleInput[],
  name?: string | null,
): Promise<string> {
  const handles = raw.map(normalised);
  const owners = await ownersOf(tx, handles);
  let contact: Pick<Owner, "contactId" | "name" | "email" | "phone"> | undefined = handles
    .map((h) => ownerRow(owners, h))
    .find((o) => o !== undefined);
  let unowned = handles.filter((h) => ownerIn(owners, h) === undefined);
  if (contact === undefined) {
    const [first, ...rest] = handles;
    const created = await createContactClaiming(tx, tenantId, first, name ?? null);
    if (created.isNew && rest.length === 0) return created.contactId;
    contact = created;
    unowned = rest;
  }
  const contactId = contact.contactId;
  const added: HandleInput[] = [];
  for (const h of unowned) if (await claimHandle(tx, tenantId, contactId, h)) added.push(h);
  const fill = Object.assign({}, ...added.map(primaryOf)) as { email?: string; phone?: string };
  // Only what is empty is filled (the row was read with its lock, so it is current).
  const fillsSomething =
    (fill.email !== undefined && contact.email === null) || (fill.phone !== undefined && contact.phone === null) || (!!name && contact.name === null);
  if (fillsSomething) {
    await tx
      .update(contacts)
      .set({
        ...(fill.email !== undefined ? { email: sql`coalesce(${contacts.email}, ${fill.email})` } : {}),
        ...(fill.phone !== undefined ? { phone: sql`coalesce(${contacts.phone}, ${fill.phone})` } : {}),
        ...(name ? { name: sql`coalesce(${contacts.name}, ${name})` } : {}),
      })
      .where(
        and(
          eq(contacts.id, contactId),
          or(
            fill.email !== undefined ? sql`${contacts.email} is null` : undefined,
            fill.phone !== undefined ? sql`${contacts.phone} is null` : undefined,
            name ? sql`${contacts.name} is null` : undefined,
          ),
        ),
      );
  }
  return contactId;
}

/**
 * A new contact owning `first` (none: a contact without handles), or the contact that won the race for it. The
 * winner is read again while a concurrent merge moves the handle on (its merged contact vanishes from a read).
 */
async function createContactClaiming(
  tx: Tx,
  tenantId: string,
  first: HandleInput | undefined,
  name: string | null,
): Promise<Pick<Owner, "contactId" | "name" | "email" | "phone"> & { isNew: boolean }> {
  const row = { contactId: crypto.randomUUID(), name, email: null, phone: null, ...(first ? primaryOf(first) : {}) };
  await tx.insert(contacts).values({ tenantId, id: row.contactId, name: row.name, email: row.email, phone: row.phone });
  if (!first || (await claimHandle(tx, tenantId, row.contactId, first))) return { ...row, isNew: true };
  await tx.delete(contacts).where(eq(contacts.id, row.contactId));
  for (let attempt = 0; attempt < 3; attempt++) {
    const [winner] = await ownersOf(tx, [first]);
    if (winner) return { ...winner, isNew: false };
  }
  throw conflict(`${describeHandle(first)} is being merged into another contact: try again`);
}

/**
 * The contact id for one customer handle (`kind` from `handleKindOf(channel)` for engagements): matched by its
 * normalised form, else a new contact (with `name`, and its e-mail/phone set for those kinds) owning the handle.
 * Runs in the caller's transaction; see `contactForHandles` for the race.
 */
export function contactForHandle(
  tx: Tx,
  tenantId: string,
  handle: { kind: HandleKind; value: string; name?: string | null },
): Promise<string> {
  return contactForHandles(tx, tenantId, [{ kind: handle.kind, value: handle.value }], handle.name);
}

export function contactView(c: Contact) {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    /** privacy.eraseContact anonymised this contact (no name, e-mail, phone or handles left). */
    erasedAt: c.erasedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
export type ContactView = ReturnType<typeof contactView>;

const listOrder = newestFirst(contacts.createdAt, contacts.id, (c: Contact) => [c.createdAt, c.id]);

const containing = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/**
 * Contacts whose name, e-mail or phone contains `q` (case aside; a phone-like `q` by its digits, so
 * "+1 (555) 000-1111" finds +15550001111), or with any handle that IS `q` in its normal form (an older address, an
 * @handle, a chat id). Evaluated along the list's index (newest first) within the tenant, stopping at the page's end.
 * Handles are matched by equality, through their unique (tenant_id, kind, value) index: equality is leakproof, so the
 * index serves under RLS, where a LIKE over handles would read every handle of the tenant (or of all tenants, when the
 * planner hashes the subquery) before the first row.
 */
function matching(tx: Tx, tenantId: string, q: string): SQL | undefined {
  const text = containing(q);
  const digits = q.replace(/\D/g, "");
  const byDigits = /^[+\d\s().-]+$/.test(q) && digits.length >= 3 ? containing(digits) : null;
  const exact = contactHandleKind.enumValues
    .map((kind) => ({ kind, value: normaliseHandle(kind, q) }))
    .filter((h): h is HandleInput => h.value !== null && h.value.length <= maxHandleLength);
  return or(
    ilike(contacts.name, text),
    ilike(contacts.email, text),
    byDigits ? like(contacts.phone, byDigits) : ilike(contacts.phone, text),
    exact.length > 0
      ? inArray(
          contacts.id,
          tx
            .select({ id: contactHandles.contactId })
            .from(contactHandles)
            .where(
              and(
                eq(contactHandles.tenantId, tenantId),
                // The index conditions (a few probes), then the exact pairs.
                inArray(contactHandles.kind, [...new Set(exact.map((h) => h.kind))]),
                inArray(contactHandles.value, [...new Set(exact.map((h) => h.value))]),
                or(...exact.map((h) => and(eq(contactHandles.kind, h.kind), eq(contactHandles.value, h.value)))),
              ),
            ),
        )
      : undefined,
  );
}

/** contacts.list's statement (its plan is tested: it must stay on the list's index). */
export function contactsPage(tx: Tx, tenantId: string, input: ListContactsInput) {
  return tx
    .select()
    .from(contacts)
    .where(and(input.q ? matching(tx, tenantId, input.q) : undefined, afterCursor(input.cursor, listOrder)))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
}

export async function listContacts(tx: Tx, tenantId: string, input: ListContactsInput) {
  return toPage(await contactsPage(tx, tenantId, input), input.limit, listOrder, contactView);
}

/** How many engagements, calls and leads `contacts.get` shows (the newest; items as in their own lists). */
const recent = 10;

async function findContact(tx: Tx, id: string, forUpdate = false): Promise<Contact> {
  const query = tx.select().from(contacts).where(eq(contacts.id, id));
  const [row] = forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("Contact");
  return row;
}

export async function getContact(tx: Tx, id: string) {
  const contact = await findContact(tx, id);
  const handles = await tx
    .select({ kind: contactHandles.kind, value: contactHandles.value })
    .from(contactHandles)
    .where(eq(contactHandles.contactId, id))
    .orderBy(asc(contactHandles.kind), asc(contactHandles.value));
  const theirEngagements = await tx
    .select(engagementColumns)
    .from(engagements)
    .where(eq(engagements.contactId, id))
    .orderBy(desc(engagements.createdAt), desc(engagements.id))
    .limit(recent);
  const theirCalls = await tx
    .select()
    .from(calls)
    .where(eq(calls.contactId, id))
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(recent);
  const theirLeads = await tx
    .select()
    .from(leads)
    .where(eq(leads.contactId, id))
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(recent);
  return {
    ...contactView(contact),
    handles,
    engagements: theirEngagements.map((e) => engagementView(e)),
    calls: theirCalls.map(callView),
    leads: theirLeads.map(leadView),
  };
}

const describeHandle = (h: HandleInput) =>
  h.kind === "email" ? `The e-mail address ${h.value}` : h.kind === "phone" ? `The phone number ${h.value}` : `The ${h.kind} handle ${h.value}`;

/** Gives `handles` (normalised) to `contactId`; one owned by another contact is CONFLICT. */
async function claimAll(tx: Tx, tenantId: string, contactId: string, handles: readonly HandleInput[]) {
  const owners = await ownersOf(tx, handles);
  for (const h of handles) {
    const owner = ownerIn(owners, h);
    if (owner === contactId) continue;
    if (owner !== undefined || !(await claimHandle(tx, tenantId, contactId, h))) {
      throw conflict(`${describeHandle(h)} belongs to another contact`);
    }
  }
}

const unique = (handles: HandleInput[]) =>
  handles.filter((h, i) => handles.findIndex((o) => o.kind === h.kind && o.value === h.value) === i);

export async function createContact(tx: Tx, tenantId: string, input: CreateContactInput): Promise<ContactView> {
  const given: HandleInput[] = [
    ...(input.email ? [{ kind: "email" as const, value: input.email }] : []),
    ...(input.phone ? [{ kind: "phone" as const, value: input.phone }] : []),
    ...(input.handles ?? []),
  ];
  const handles = unique(given.map(normalised));
  const id = crypto.randomUUID();
  // The primary e-mail and phone: the ones given as such, else the first handle of that kind.
  const [row] = await tx
    .insert(contacts)
    .values({
      tenantId,
      id,
      name: input.name ?? null,
      email: handles.find((h) => h.kind === "email")?.value ?? null,
      phone: handles.find((h) => h.kind === "phone")?.value ?? null,
    })
    .returning();
  await claimAll(tx, tenantId, id, handles);
  return contactView(row!);
}

/**
 * A new e-mail or phone becomes the contact's primary one and one of its handles (CONFLICT when another contact has
 * it). Previous handles stay: the customer may still write from them.
 */
export async function updateContact(tx: Tx, tenantId: string, input: UpdateContactInput): Promise<ContactView> {
  const { id, ...fields } = input;
  const current = await findContact(tx, id, true);
  const set: Partial<Pick<Contact, "name" | "email" | "phone">> = {};
  if (fields.name !== undefined) set.name = fields.name;
  const added: HandleInput[] = [];
  for (const kind of ["email", "phone"] as const) {
    const value = fields[kind];
    if (value === undefined) continue;
    if (value === null) {
      set[kind] = null;
      continue;
    }
    const h = normalised({ kind, value });
    set[kind] = h.value;
    added.push(h);
  }
  await claimAll(tx, tenantId, id, added);
  if (Object.keys(set).length === 0) return contactView(current);
  const [row] = await tx.update(contacts).set(set).where(eq(contacts.id, id)).returning();
  return contactView(row!);
}

/**
 * Moves everything of contact `id` to `intoId` (engagements, calls, leads, handles, and the customer's messages in
 * those engagements; each moved engagement's `updated` event goes to live subscribers), fills `intoId`'s empty name, e-mail and phone from it, and deletes it. Both rows are locked
 * first, in id order, so concurrent merges of the same pair cannot deadlock or lose rows.
 */
export async function mergeContacts(tx: Tx, tenantId: string, input: MergeContactsInput) {
  const { id, intoId } = input;
  if (id === intoId) throw badRequest("A contact cannot be merged into itself");
  const locked = await tx
    .select()
    .from(contacts)
    .where(inArray(contacts.id, [id, intoId]))
    .orderBy(asc(contacts.id))
    .for("update");
  const from = locked.find((c) => c.id === id);
  const into = locked.find((c) => c.id === intoId);
  if (!from || !into) throw notFound("Contact");

  const movedEngagements = await tx
    .update(engagements)
    .set({ contactId: intoId })
    .where(eq(engagements.contactId, id))
    .returning({ id: engagements.id });
  // The customer's own lines name their contact: found through the threads (the messages' index), not by author.
  await tx
    .update(messages)
    .set({ authorId: intoId })
    .where(
      and(
        inArray(messages.engagementId, tx.select({ id: engagements.id }).from(engagements).where(eq(engagements.contactId, intoId))),
        eq(messages.authorType, "customer"),
        eq(messages.authorId, id),
      ),
    );
  const movedCalls = await tx.update(calls).set({ contactId: intoId }).where(eq(calls.contactId, id)).returning();
  const movedLeads = await tx.update(leads).set({ contactId: intoId }).where(eq(leads.contactId, id)).returning();
  const movedHandles = await tx
    .update(contactHandles)
    .set({ contactId: intoId })
    .where(eq(contactHandles.contactId, id))
    .returning({ id: contactHandles.id });
  const [merged] = await tx
    .update(contacts)
    .set({ name: into.name ?? from.name, email: into.email ?? from.email, phone: into.phone ?? from.phone })
    .where(eq(contacts.id, intoId))
    .returning();
  await tx.delete(contacts).where(eq(contacts.id, id));
  // Open inboxes and conversation views show the new contact.
  for (const e of movedEngagements) await recordEvent(tx, tenantId, e.id, "updated");
  // Webhooks: each moved row now names the contact it was merged into.
  for (const e of movedEngagements) await recordEngagementUpdated(tx, tenantId, e.id);
  for (const c of movedCalls) await recordWebhookEvent(tx, tenantId, { type: "call.updated", orderKey: c.id, data: callView(c) });
  for (const l of movedLeads) await recordWebhookEvent(tx, tenantId, { type: "lead.updated", orderKey: l.id, data: leadView(l) });
  return {
    ...contactView(merged!),
    moved: {
      engagements: movedEngagements.length,
      calls: movedCalls.length,
      leads: movedLeads.length,
      handles: movedHandles.length,
    },
  };
}
