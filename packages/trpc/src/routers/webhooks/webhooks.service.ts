import { and, count, eq } from "drizzle-orm";
import type { SecretBox } from "@switchboard/auth";
import { type Tx, type WebhookDelivery, webhookDeliveries, type WebhookEndpoint, webhookEndpoints, webhookEvents } from "@switchboard/db";
import { checkOutboundUrl, generateWebhookSecret, OutboundUrlError, queueDelivery, webhookSecretContext } from "@switchboard/jobs";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { badRequest, notFound, preconditionFailed } from "../../errors";
import { type CreateWebhookInput, type ListDeliveriesInput, MAX_WEBHOOKS, type UpdateWebhookInput } from "./webhooks.input";

export function webhookView(w: WebhookEndpoint) {
  return {
    id: w.id,
    url: w.url,
    events: w.events as WebhookEndpoint["events"],
    enabled: w.enabled,
    description: w.description,
    /** Why the platform switched it off (failing for 3 days); null otherwise. */
    disabledReason: w.disabledReason,
    /** First failure of the current run of failures; null while deliveries succeed. */
    failingSince: w.failingSince?.toISOString() ?? null,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

export function deliveryView(d: WebhookDelivery) {
  return {
    id: d.id,
    webhookId: d.webhookId,
    /** The event's type (`message.created`, `ping`, …). */
    event: d.eventType,
    /** The `webhook-id` header receivers see (the same for every delivery of the event). */
    eventId: d.eventId,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    /** When the next attempt is due (pending), or was last due. */
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** A URL the tenant supplied, checked against the outbound address rules (again at every send). */
async function checkedUrl(raw: string, allowHttpLocalhost: boolean): Promise<string> {
  try {
    return (await checkOutboundUrl(raw, { allowHttpLocalhost })).href;
  } catch (err) {
    if (err instanceof OutboundUrlError) throw badRequest(err.message);
    throw err;
  }
}

async function endpoint(tx: Tx, id: string, lock = false): Promise<WebhookEndpoint> {
  const q = tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  const [row] = await (lock ? q.for("update") : q);
  if (!row) throw notFound("Webhook");
  return row;
}

const listOrder = newestFirst(webhookEndpoints.createdAt, webhookEndpoints.id, (w: WebhookEndpoint) => [w.createdAt, w.id]);

export async function listWebhooks(tx: Tx, input: { limit: number; cursor?: string | undefined }) {
  const rows = await tx
    .select()
    .from(webhookEndpoints)
    .where(afterCursor(input.cursor, listOrder))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, webhookView);
}

export async function getWebhook(tx: Tx, id: string) {
  return webhookView(await endpoint(tx, id));
}

/** The secret is in the answer this once; stored sealed (ENCRYPTION_KEY), bound to this endpoint. */
export async function createWebhook(tx: Tx, tenantId: string, secrets: SecretBox, allowHttpLocalhost: boolean, input: CreateWebhookInput) {
  const url = await checkedUrl(input.url, allowHttpLocalhost);
  const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(webhookEndpoints);
  if (n >= MAX_WEBHOOKS) throw preconditionFailed(`A tenant may have at most ${MAX_WEBHOOKS} webhooks`);
  const id = crypto.randomUUID();
  const secret = generateWebhookSecret();
  const [row] = await tx
    .insert(webhookEndpoints)
    .values({
      tenantId,
      id,
      url,
      events: input.events,
      enabled: input.enabled ?? true,
      description: input.description || null,
      secretCiphertext: secrets.seal(secret, webhookSecretContext(tenantId, id)),
    })
    .returning();
  return { ...webhookView(row!), secret };
}

/** Enabling (again) ends the failure run and clears the platform's reason. */
export async function updateWebhook(tx: Tx, allowHttpLocalhost: boolean, input: UpdateWebhookInput) {
  const current = await endpoint(tx, input.id, true);
  const url = input.url === undefined ? undefined : await checkedUrl(input.url, allowHttpLocalhost);
  const enabling = input.enabled === true && !current.enabled;
  const [row] = await tx
    .update(webhookEndpoints)
    .set({
      ...(url !== undefined ? { url } : {}),
      ...(input.events ? { events: input.events } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      ...(input.description !== undefined ? { description: input.description || null } : {}),
      ...(enabling ? { disabledReason: null, failingSince: null } : {}),
      ...(input.enabled === false ? { disabledReason: null } : {}),
    })
    .where(eq(webhookEndpoints.id, current.id))
    .returning();
  return webhookView(row!);
}

/** Its log goes with it (deliveries cascade); events other endpoints still need stay. */
export async function deleteWebhook(tx: Tx, id: string) {
  const [row] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning({ id: webhookEndpoints.id });
  if (!row) throw notFound("Webhook");
  return { ok: true as const, id: row.id };
}

/** A `ping` event for this endpoint alone (subscribed to `ping` or not), sent at once; answers its delivery. */
export async function testWebhook(tx: Tx, tenantId: string, id: string) {
  const target = await endpoint(tx, id);
  if (!target.enabled) throw preconditionFailed("Enable the webhook before testing it");
  const [event] = await tx
    .insert(webhookEvents)
    .values({ tenantId, type: "ping", data: { webhookId: id, message: "A test event from Switchboard" } })
    .returning({ id: webhookEvents.id });
  const deliveryId = await queueDelivery(tx, tenantId, { webhookId: id, eventId: event!.id, eventType: "ping", orderKey: null });
  return deliveryOf(tx, deliveryId);
}

const deliveryOrder = newestFirst(webhookDeliveries.createdAt, webhookDeliveries.id, (d: WebhookDelivery) => [d.createdAt, d.id]);

export async function listDeliveries(tx: Tx, input: ListDeliveriesInput) {
  await endpoint(tx, input.webhookId);
  const rows = await tx
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, input.webhookId),
        input.status ? eq(webhookDeliveries.status, input.status) : undefined,
        afterCursor(input.cursor, deliveryOrder),
      ),
    )
    .orderBy(...orderOf(deliveryOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, deliveryOrder, deliveryView);
}

async function deliveryOf(tx: Tx, id: string) {
  const [row] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  if (!row) throw notFound("Delivery");
  return deliveryView(row);
}

/**
 * The same event to the same endpoint once more, as a new delivery (the log keeps the old one): same `webhook-id`,
 * sent at once, retried like any other. A disabled endpoint is PRECONDITION_FAILED.
 */
export async function redeliver(tx: Tx, tenantId: string, deliveryId: string) {
  const [old] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
  if (!old) throw notFound("Delivery");
  const target = await endpoint(tx, old.webhookId);
  if (!target.enabled) throw preconditionFailed("Enable the webhook before redelivering to it");
  // Unordered: a manual resend neither waits for nor holds up the newer events of its engagement.
  const id = await queueDelivery(tx, tenantId, { webhookId: old.webhookId, eventId: old.eventId, eventType: old.eventType, orderKey: null });
  return deliveryOf(tx, id);
}
