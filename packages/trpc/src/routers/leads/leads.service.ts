import { and, eq } from "drizzle-orm";
import { type Lead, leads, type Tenant, type Tx } from "@switchboard/db";
import { recordWebhookEvent } from "@switchboard/jobs";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { notFound } from "../../errors";
import { contactForHandles, type HandleInput } from "../contacts/contacts.service";
import type { CreateLeadInput, ListLeadsInput, UpdateLeadInput } from "./leads.input";

export function leadView(l: Lead) {
  return {
    id: l.id,
    name: l.name,
    phone: l.phone,
    email: l.email,
    source: l.source,
    status: l.status,
    contactId: l.contactId,
    createdAt: l.createdAt.toISOString(),
    /** The person's erasure anonymised it (privacy.eraseContact): name "Erased", no phone, e-mail or source. */
    erased: l.erasedAt !== null,
  };
}
export type LeadView = ReturnType<typeof leadView>;

const listOrder = newestFirst(leads.createdAt, leads.id, (l: Lead) => [l.createdAt, l.id]);

export async function listLeads(tx: Tx, input: ListLeadsInput) {
  const rows = await tx
    .select()
    .from(leads)
    .where(and(input.status ? eq(leads.status, input.status) : undefined, afterCursor(input.cursor, listOrder)))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, leadView);
}

export async function getLead(tx: Tx, id: string): Promise<LeadView> {
  const [row] = await tx.select().from(leads).where(eq(leads.id, id));
  if (!row) throw notFound("Lead");
  return leadView(row);
}

/** The lead's person: matched by e-mail, then phone (the other joins that contact when free), or created. */
export async function createLead(tx: Tx, tenant: Tenant, input: CreateLeadInput): Promise<LeadView> {
  const handles: HandleInput[] = [];
  if (input.email) handles.push({ kind: "email", value: input.email });
  if (input.phone) handles.push({ kind: "phone", value: input.phone });
  const contactId = await contactForHandles(tx, tenant.id, handles, input.name);
  const [row] = await tx.insert(leads).values({ tenantId: tenant.id, ...input, contactId }).returning();
  const view = leadView(row!);
  await recordWebhookEvent(tx, tenant.id, { type: "lead.created", orderKey: view.id, data: view });
  return view;
}

export async function updateLead(tx: Tx, input: UpdateLeadInput): Promise<LeadView> {
  const { id, ...fields } = input;
  if (Object.keys(fields).length === 0) return getLead(tx, id);
  const [row] = await tx.update(leads).set(fields).where(eq(leads.id, id)).returning();
  if (!row) throw notFound("Lead");
  const view = leadView(row);
  await recordWebhookEvent(tx, row.tenantId, { type: "lead.updated", orderKey: id, data: view });
  return view;
}

export async function deleteLead(tx: Tx, id: string): Promise<{ ok: true; id: string }> {
  const [row] = await tx.delete(leads).where(eq(leads.id, id)).returning({ id: leads.id });
  if (!row) throw notFound("Lead");
  return { ok: true, id: row.id };
}
