import { and, count, eq, gte, lt, sql } from "drizzle-orm";
import { agents, type Call, calls, reusableQueries, type Tenant, type Tx } from "@switchboard/db";
import { recordWebhookEvent } from "@switchboard/jobs";
import { afterCursorSlot, cursorValues, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { lockTenant } from "../../lib/locks";
import { badRequest, isForeignKeyViolation, notFound, preconditionFailed } from "../../errors";
import { contactForHandle } from "../contacts/contacts.service";
import { effectiveFeatures } from "../tenant/tenant.service";
import type { CreateCallInput, ListCallsInput, UpdateCallInput } from "./calls.input";

/** The columns a call's public view needs (lists read these only: no transcript, no bookkeeping columns). */
const viewColumns = {
  id: calls.id,
  agentId: calls.agentId,
  contactId: calls.contactId,
  direction: calls.direction,
  customerPhone: calls.customerPhone,
  status: calls.status,
  startedAt: calls.startedAt,
  endedAt: calls.endedAt,
  durationSeconds: calls.durationSeconds,
  outcome: calls.outcome,
  sentiment: calls.sentiment,
  erasedAt: calls.erasedAt,
};
type CallRow = Pick<Call, keyof typeof viewColumns>;

export function callView(c: CallRow) {
  return {
    id: c.id,
    agentId: c.agentId,
    contactId: c.contactId,
    direction: c.direction,
    customerPhone: c.customerPhone,
    status: c.status,
    startedAt: c.startedAt.toISOString(),
    endedAt: c.endedAt?.toISOString() ?? null,
    durationSeconds: c.durationSeconds,
    outcome: c.outcome,
    sentiment: c.sentiment,
    /** The customer's erasure anonymised it (privacy.eraseContact): phone "erased", no transcript or outcome. */
    erased: c.erasedAt !== null,
  };
}
export type CallView = ReturnType<typeof callView>;

const ended = new Set<Call["status"]>(["completed", "failed", "missed"]);

interface ListCallsValues extends Record<string, unknown> {
  status: Call["status"] | undefined;
  agentId: string | undefined;
  from: string | undefined;
  to: string | undefined;
  after0?: string;
  after1?: string;
  limit: number;
}

const listOrder = newestFirst(calls.startedAt, calls.id, (c: CallRow) => [c.startedAt, c.id]);

/**
 * The calls list runs on nearly every dashboard view and API poll: one reusable query per combination of
 * filters given, built once per process.
 */
const listCallsQuery = reusableQueries<ListCallsValues, CallRow[]>("calls.list", (db, has, name) =>
  db
    .select(viewColumns)
    .from(calls)
    .where(
      and(
        has("status") ? eq(calls.status, sql.placeholder("status")) : undefined,
        has("agentId") ? eq(calls.agentId, sql.placeholder("agentId")) : undefined,
        has("from") ? gte(calls.startedAt, sql.placeholder("from")) : undefined,
        has("to") ? lt(calls.startedAt, sql.placeholder("to")) : undefined,
        has("after0") ? afterCursorSlot(listOrder) : undefined,
      ),
    )
    .orderBy(...orderOf(listOrder))
    .limit(sql.placeholder("limit"))
    .prepare(name),
);

export async function listCalls(tx: Tx, input: ListCallsInput) {
  const rows = await listCallsQuery(tx, {
    status: input.status,
    agentId: input.agentId,
    from: input.from?.toISOString(),
    to: input.to?.toISOString(),
    ...(input.cursor ? cursorValues(input.cursor, listOrder) : {}),
    limit: input.limit + 1,
  });
  return toPage(rows, input.limit, listOrder, callView);
}

export async function getCall(tx: Tx, id: string) {
  const [row] = await tx.select().from(calls).where(eq(calls.id, id));
  if (!row) throw notFound("Call");
  return { ...callView(row), transcript: row.transcript };
}

/**
 * `features.maxConcurrentCalls` bounds the calls in progress. Callers hold the tenant's "concurrent-calls" lock,
 * so two requests cannot both see the last free slot.
 */
async function assertCapacity(tx: Tx, tenant: Tenant) {
  const { maxConcurrentCalls } = await effectiveFeatures(tx, tenant);
  const [{ n } = { n: 0 }] = await tx
    .select({ n: count() })
    .from(calls)
    .where(and(eq(calls.tenantId, tenant.id), eq(calls.status, "in_progress")));
  if (n >= maxConcurrentCalls) {
    throw preconditionFailed(`This tenant may have at most ${maxConcurrentCalls} calls in progress`);
  }
}

async function findByKey(tx: Tx, key: string | undefined) {
  if (!key) return undefined;
  const [row] = await tx.select().from(calls).where(eq(calls.idempotencyKey, key));
  return row;
}

/**
 * Webhooks retry after timeouts: with an `idempotencyKey` a retry returns the first call. Two concurrent requests
 * with the same key meet at the unique index; the loser's ON CONFLICT DO NOTHING waits for the winner's commit
 * and then re-reads its row.
 */
export async function createCall(tx: Tx, tenant: Tenant, input: CreateCallInput): Promise<CallView> {
  const status = input.status ?? "queued";
  if (status === "in_progress") await lockTenant(tx, "concurrent-calls", tenant.id);
  const existing = await findByKey(tx, input.idempotencyKey);
  if (existing) return callView(existing);
  if (input.agentId) {
    const [agent] = await tx.select({ id: agents.id }).from(agents).where(eq(agents.id, input.agentId));
    if (!agent) throw notFound("Agent");
  }
  if (status === "in_progress") await assertCapacity(tx, tenant);
  const contactId = await contactForHandle(tx, tenant.id, { kind: "phone", value: input.customerPhone });
  try {
    const [row] = await tx
      .insert(calls)
      .values({
        tenantId: tenant.id,
        agentId: input.agentId ?? null,
        contactId,
        direction: input.direction,
        customerPhone: input.customerPhone,
        status,
        ...(input.startedAt ? { startedAt: input.startedAt } : {}),
        idempotencyKey: input.idempotencyKey ?? null,
      })
      .onConflictDoNothing({ target: [calls.tenantId, calls.idempotencyKey] })
      .returning();
    if (row) {
      const view = callView(row);
      await recordWebhookEvent(tx, tenant.id, { type: "call.created", orderKey: row.id, data: view });
      return view;
    }
  } catch (err) {
    if (isForeignKeyViolation(err)) throw notFound("Agent");
    throw err;
  }
  return callView((await findByKey(tx, input.idempotencyKey))!);
}

export async function updateCall(tx: Tx, tenant: Tenant, input: UpdateCallInput): Promise<CallView> {
  const { id, ...fields } = input;
  if (fields.status === "in_progress") await lockTenant(tx, "concurrent-calls", tenant.id);
  const [current] = await tx.select().from(calls).where(eq(calls.id, id)).for("update");
  if (!current) throw notFound("Call");
  if (fields.status === "in_progress" && current.status !== "in_progress") await assertCapacity(tx, tenant);

  let endedAt = fields.endedAt;
  if (!endedAt && fields.status && ended.has(fields.status) && !current.endedAt) {
    const now = new Date();
    endedAt = now < current.startedAt ? current.startedAt : now;
  }
  if (endedAt && endedAt < current.startedAt) throw badRequest("endedAt must not be before the call started");
  if (Object.keys(fields).length === 0) return callView(current);
  const [row] = await tx
    .update(calls)
    .set({ ...fields, ...(endedAt ? { endedAt } : {}) })
    .where(eq(calls.id, id))
    .returning();
  const view = callView(row!);
  await recordWebhookEvent(tx, tenant.id, { type: "call.updated", orderKey: id, data: view });
  return view;
}
