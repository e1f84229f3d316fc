import { eq, getTableColumns, sql } from "drizzle-orm";
import { type Label, labels, type Tx } from "@switchboard/db";
import { afterCursor, bySlug, orderOf, toPage } from "../../lib/cursor";
import { conflict, isUniqueViolation, notFound } from "../../errors";
import type { CreateLabelInput, ListLabelsInput, UpdateLabelInput } from "./labels.input";

export function labelView(l: Label) {
  return { id: l.id, name: l.name, color: l.color, createdAt: l.createdAt.toISOString(), updatedAt: l.updatedAt.toISOString() };
}
export type LabelView = ReturnType<typeof labelView>;

/** By name, case aside: the unique index's expression, so names are the key and the index gives the order. */
const sortKey = sql<string>`lower(${labels.name})`;
const listOrder = bySlug(sortKey, (l: Label & { sortKey: string }) => l.sortKey);

const taken = (name: string) => conflict(`A label named "${name}" exists`);

export async function listLabels(tx: Tx, input: ListLabelsInput) {
  const rows = await tx
    .select({ ...getTableColumns(labels), sortKey })
    .from(labels)
    .where(afterCursor(input.cursor, listOrder))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, labelView);
}

export async function createLabel(tx: Tx, tenantId: string, input: CreateLabelInput): Promise<LabelView> {
  const [row] = await tx.insert(labels).values({ tenantId, ...input }).onConflictDoNothing().returning();
  if (!row) throw taken(input.name);
  return labelView(row);
}

export async function updateLabel(tx: Tx, input: UpdateLabelInput): Promise<LabelView> {
  const { id, ...fields } = input;
  try {
    const [row] =
      Object.keys(fields).length === 0
        ? await tx.select().from(labels).where(eq(labels.id, id))
        : await tx.update(labels).set(fields).where(eq(labels.id, id)).returning();
    if (!row) throw notFound("Label");
    return labelView(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(fields.name ?? "");
    throw err;
  }
}

/** Conversations lose the label with it (engagement_labels cascade). */
export async function deleteLabel(tx: Tx, id: string): Promise<{ ok: true; id: string }> {
  const [row] = await tx.delete(labels).where(eq(labels.id, id)).returning({ id: labels.id });
  if (!row) throw notFound("Label");
  return { ok: true, id: row.id };
}
