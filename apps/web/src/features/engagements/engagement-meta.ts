/** Channels, statuses and priorities of engagements, with their labels and badge tones. */
import type { BadgeTone } from "../../components/ui/badge";

export const channels = ["whatsapp", "email", "twitter", "facebook", "voice", "chat"] as const;
export const statuses = ["new", "open", "resolved"] as const;
export const priorities = ["low", "normal", "high", "urgent"] as const;
export type Channel = (typeof channels)[number];
export type EngagementStatus = (typeof statuses)[number];

export const channelLabel: Record<Channel, string> = {
  whatsapp: "WhatsApp",
  email: "Email",
  twitter: "X / Twitter",
  facebook: "Facebook",
  voice: "Voice",
  chat: "Chat",
};

export const statusTone: Record<EngagementStatus, BadgeTone> = { new: "info", open: "warn", resolved: "good" };
export const priorityTone: Record<(typeof priorities)[number], BadgeTone> = { low: "neutral", normal: "neutral", high: "warn", urgent: "bad" };
