/** Channels, statuses and priorities of engagements (the database's enums, via the API's types), with their labels and badge tones. */
import type { BadgeTone } from "../../components/ui/badge";
import { enumValues } from "../../lib/enums";
import type { RouterOutputs } from "../../lib/trpc";

type Engagement = RouterOutputs["engagements"]["get"];
export type Channel = Engagement["channel"];
export type EngagementStatus = Engagement["status"];
export type Priority = Engagement["priority"];

export const channelLabel: Record<Channel, string> = {
  whatsapp: "WhatsApp",
  sms: "SMS",
  email: "Email",
  twitter: "X / Twitter",
  facebook: "Facebook",
  voice: "Voice",
  chat: "Chat",
};

export const statusTone: Record<EngagementStatus, BadgeTone> = { new: "info", open: "warn", resolved: "good" };
export const priorityTone: Record<Priority, BadgeTone> = { low: "neutral", normal: "neutral", high: "warn", urgent: "bad" };

export const channels = enumValues(channelLabel);
export const statuses = enumValues(statusTone);
export const priorities = enumValues(priorityTone);

/** Who a conversation is with, as people read it: an erased customer (privacy.eraseContact) has no handle left to show. */
export function customerLabel(e: Pick<Engagement, "customer" | "erased">): string {
  return e.erased ? "Erased customer" : e.customer;
}
