import { eq } from "drizzle-orm";
import { type CannedResponse, cannedResponses, type Tx } from "@switchboard/db";
import { afterCursor, bySlug, orderOf, toPage } from "../../lib/cursor";
import { conflict, isUniqueViolation, notFound } from "../../errors";
import type { CreateCannedResponseInput, ListCannedResponsesInput, UpdateCannedResponseInput } from "./canned-responses.input";

export function cannedResponseView(c: CannedResponse) {
  return {
    id: c.id,
    shortcut: c.shortcut,
    title: c.title,
    body: c.body,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
export type CannedResponseView = ReturnType<typeof cannedResponseView>;

const listOrder = bySlug(cannedResponses.shortcut, (c: CannedResponse) => c.shortcut);

const taken = (shortcut: string) => conflict(`The shortcut /${shortcut} is taken`);

export async function listCannedResponses(tx: Tx, input: ListCannedResponsesInput) {
  const rows = await tx
    .select()
    .from(cannedResponses)
    .where(afterCursor(input.cursor, listOrder))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, cannedResponseView);
}

export async function createCannedResponse(tx: Tx, tenantId: string, input: CreateCannedResponseInput): Promise<CannedResponseView> {
  const [row] = await tx.insert(cannedResponses).values({ tenantId, ...input }).onConflictDoNothing().returning();
  if (!row) throw taken(input.shortcut);
  return cannedResponseView(row);
}

export async function updateCannedResponse(tx: Tx, input: UpdateCannedResponseInput): Promise<CannedResponseView> {
  const { id, ...fields } = input;
  try {
    const [row] =
      Object.keys(fields).length === 0
        ? await tx.select().from(cannedResponses).where(eq(cannedResponses.id, id))
        : await tx.update(cannedResponses).set(fields).where(eq(cannedResponses.id, id)).returning();
    if (!row) throw notFound("Canned response");
    return cannedResponseView(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(fields.shortcut ?? "");
    throw err;
  }
}

export async function deleteCannedResponse(tx: Tx, id: string): Promise<{ ok: true; id: string }> {
  const [row] = await tx.delete(cannedResponses).where(eq(cannedResponses.id, id)).returning({ id: cannedResponses.id });
  if (!row) throw notFound("Canned response");
  return { ok: true, id: row.id };
}
