import { z } from "zod";
import { engagementChannel } from "@switchboard/db";
import { isTimeZone, minutesOfDay } from "../../lib/business-hours";
import { hasNoControlChars, pagination, singleLine } from "../../lib/inputs";
import { reservedSettingPrefix } from "./tenant.service";

// Branding ends up in CSS and HTML attributes: only values that cannot carry markup, script or style survive.
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: "Use a #rrggbb color" });

/** https only, no credentials, and none of the characters that could break out of a CSS url() or attribute. */
function isSafeHttpsUrl(value: string): boolean {
  if (!/^https:\/\/[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+$/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname.length > 0 && !url.username && !url.password;
  } catch {
    return false;
  }
}
const logoUrl = z.string().max(2048).refine(isSafeHttpsUrl, { message: "Use an https:// URL" });
const displayName = singleLine(100).refine((s) => !/[<>]/.test(s), { message: "Must not contain < or >" });

/** In every override object, `null` clears the override (the parent's or the default value applies again). */
export const brandingInput = z.strictObject({
  primaryColor: hexColor.nullable().optional(),
  secondaryColor: hexColor.nullable().optional(),
  logoUrl: logoUrl.nullable().optional(),
  displayName: displayName.nullable().optional(),
});

const limit = z.number().int().min(0).max(100_000);
export const featuresInput = z.strictObject({
  voiceAgents: z.boolean().nullable().optional(),
  chatAgents: z.boolean().nullable().optional(),
  callRecording: z.boolean().nullable().optional(),
  analytics: z.boolean().nullable().optional(),
  maxAgents: limit.nullable().optional(),
  maxConcurrentCalls: limit.nullable().optional(),
});

const settingKey = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/, { message: "Use a setting name like callbackHours" });
const settingValue = z.union([
  z.string().max(1000).refine(hasNoControlChars, { message: "Must not contain control characters" }),
  z.number().finite(),
  z.boolean(),
]);
export const settingsInput = z
  .record(
    settingKey.refine((k) => !k.startsWith(reservedSettingPrefix), { message: "Set security options with `security`" }),
    settingValue.nullable(),
  )
  .refine((r) => Object.keys(r).length <= 50, { message: "At most 50 settings at a time" });

export const securityInput = z.strictObject({ requireMfa: z.boolean().optional() });

export const routingInput = z.strictObject({
  mode: z.enum(["manual", "round_robin"]),
  maxOpenPerAgent: z.number().int().min(1).max(1000),
});

const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'Use a time such as "09:00" ("24:00" ends a day)' });
const opening = z
  .strictObject({ day: z.number().int().min(0).max(6), open: clock, close: clock })
  .refine((o) => minutesOfDay(o.close) > minutesOfDay(o.open), { message: "close must be after open", path: ["close"] });

/** Up to three openings per weekday (0 = Sunday), none overlapping, in the tenant's IANA time zone. */
export const businessHoursInput = z
  .strictObject({
    timezone: z.string().max(64).refine(isTimeZone, { message: "Use an IANA time zone such as Europe/Berlin" }),
    days: z.array(opening).min(1, { message: "Give at least one opening (null means always open)" }).max(21),
  })
  .superRefine((hours, ctx) => {
    for (let day = 0; day <= 6; day++) {
      const openings = hours.days
        .map((o, index) => ({ ...o, index }))
        .filter((o) => o.day === day)
        .sort((a, b) => minutesOfDay(a.open) - minutesOfDay(b.open));
      if (openings.length > 3) ctx.addIssue({ code: "custom", message: "At most 3 openings per day", path: ["days", openings[3]!.index] });
      for (let i = 1; i < openings.length; i++) {
        if (minutesOfDay(openings[i]!.open) < minutesOfDay(openings[i - 1]!.close)) {
          ctx.addIssue({ code: "custom", message: "Openings of a day must not overlap", path: ["days", openings[i]!.index, "open"] });
        }
      }
    }
  });

export const slaInput = z.strictObject({ firstResponseMinutes: z.number().int().min(1).max(100_000).nullable() });

/**
 * AI replies (contract v2, integrations): the whole setting at once. Keywords are matched case-insensitively as
 * words or phrases in the customer's message; `maxTurns` counts the agent's answers per conversation.
 */
export const aiRepliesInput = z.strictObject({
  enabled: z.boolean(),
  channels: z
    .array(z.enum(engagementChannel.enumValues))
    .max(engagementChannel.enumValues.length)
    .refine((c) => new Set(c).size === c.length, { message: "Name each channel once" }),
  agentId: z.uuid({ message: "Must be a UUID" }).nullable(),
  handoffKeywords: z.array(singleLine(100)).max(50, { message: "At most 50 handoff keywords" }),
  maxTurns: z.number().int().min(1).max(20),
});

/** Days personal content is kept (contract v2, privacy); null: kept. */
const retentionDays = z.number().int().min(1).max(3650).nullable();
/** How long transcripts and message bodies are kept: a field left out keeps its value; null as a whole clears both. */
export const retentionInput = z.strictObject({
  transcriptsDays: retentionDays.optional(),
  messagesDays: retentionDays.optional(),
});

export const updateTenantInput = z.strictObject({
  name: singleLine(100).pipe(z.string().min(2, { message: "Use at least 2 characters" })).optional(),
  branding: brandingInput.optional(),
  features: featuresInput.optional(),
  settings: settingsInput.optional(),
  security: securityInput.optional(),
  // Conversations (contract v2): null clears (manual routing, always open, no SLA).
  routing: routingInput.nullable().optional(),
  businessHours: businessHoursInput.nullable().optional(),
  sla: slaInput.nullable().optional(),
  // AI replies: null switches them off and forgets the setting.
  aiReplies: aiRepliesInput.nullable().optional(),
  // Privacy (owner only, checked in the service): null keeps everything forever.
  retention: retentionInput.nullable().optional(),
  // No `tier` or `maxUsers`: the plan is the platform's (platform.tenants.setPlan); sent here, they are unknown keys.
});

export const archiveTenantInput = z.strictObject({ confirmSlug: z.string().max(63) });

export const listChildrenInput = z.strictObject({ ...pagination }).default({ limit: 50 });
