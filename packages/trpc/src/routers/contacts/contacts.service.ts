import { and, eq, or, sql } from "drizzle-orm";
import { contactHandles, contacts, type HandleKind, normaliseHandle, type Tx } from "@switchboard/db";
import { badRequest } from "../../errors";

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

/** Which contact owns each of `handles` (normalised), in one indexed lookup. */
async function ownersOf(tx: Tx, handles: readonly HandleInput[]) {
  if (handles.length === 0) return [];
  return tx
    .select({ kind: contactHandles.kind, value: contactHandles.value, contactId: contactHandles.contactId })
    .from(contactHandles)
    .where(or(...handles.map((h) => and(eq(contactHandles.kind, h.kind), eq(contactHandles.value, h.value)))));
}

const ownerIn = (owners: Awaited<ReturnType<typeof ownersOf>>, h: HandleInput) =>
  owners.find((o) => o.kind === h.kind && o.value === h.value)?.contactId;

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
  let contactId = handles.map((h) => ownerIn(owners, h)).find((id) => id !== undefined);
  let unowned = handles.filter((h) => ownerIn(owners, h) === undefined);
  if (contactId === undefined) {
    const [first, ...rest] = handles;
    const created = await createContactClaiming(tx, tenantId, first, name ?? null);
    contactId = created.id;
    if (created.isNew && rest.length === 0) return contactId;
    unowned = rest;
  }
  const added: HandleInput[] = [];
  for (const h of unowned) if (await claimHandle(tx, tenantId, contactId, h)) added.push(h);
  const fill = Object.assign({}, ...added.map(primaryOf)) as { email?: string; phone?: string };
  if (fill.email !== undefined || fill.phone !== undefined || name) {
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

/** A new contact owning `first` (none: a contact without handles), or the contact that won the race for it. */
async function createContactClaiming(
  tx: Tx,
  tenantId: string,
  first: HandleInput | undefined,
  name: string | null,
): Promise<{ id: string; isNew: boolean }> {
  const id = crypto.randomUUID();
  await tx.insert(contacts).values({ tenantId, id, name, ...(first ? primaryOf(first) : {}) });
  if (!first || (await claimHandle(tx, tenantId, id, first))) return { id, isNew: true };
  await tx.delete(contacts).where(eq(contacts.id, id));
  const [winner] = await ownersOf(tx, [first]);
  return { id: winner!.contactId, isNew: false };
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
