/** Webhook event types and delivery statuses (the API's value lists, via its types), with labels and badge tones. */
import type { BadgeTone } from "../../components/ui/badge";
import { enumValues } from "../../lib/enums";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

export type Webhook = RouterOutputs["webhooks"]["list"]["items"][number];
export type WebhookEvent = RouterInputs["webhooks"]["create"]["events"][number];
export type Delivery = RouterOutputs["webhooks"]["deliveries"]["items"][number];
export type DeliveryStatus = Delivery["status"];

export const webhookEventLabel: Record<WebhookEvent, string> = {
  "engagement.created": "A conversation starts",
  "engagement.updated": "A conversation changes (status, assignee, labels…)",
  "message.created": "A message is added (customer, teammate or AI agent; not notes)",
  "call.created": "A call is logged",
  "call.updated": "A call changes",
  "lead.created": "A lead is added",
  "lead.updated": "A lead changes",
  ping: "Test pings (Send test)",
};
export const webhookEvents = enumValues(webhookEventLabel);

export const deliveryStatusTone: Record<DeliveryStatus, BadgeTone> = { pending: "info", delivered: "good", failed: "bad" };
export const deliveryStatuses = enumValues(deliveryStatusTone);

/** How an endpoint is doing, in a word and a tone. */
export function webhookState(w: Pick<Webhook, "enabled" | "failingSince" | "disabledReason">): { label: string; tone: BadgeTone } {
  if (!w.enabled) return w.disabledReason ? { label: "Disabled by Switchboard", tone: "bad" } : { label: "Disabled", tone: "neutral" };
  if (w.failingSince) return { label: "Failing", tone: "warn" };
  return { label: "Active", tone: "good" };
}
