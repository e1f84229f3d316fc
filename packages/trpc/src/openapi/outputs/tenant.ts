import { z } from "zod";
import { tenantStatus, tenantTier } from "@switchboard/db";
import { page, timestamp, uuid } from "./common";

export const branding = z.strictObject({
  primaryColor: z.string(),
  secondaryColor: z.string().optional(),
  logoUrl: z.string().optional(),
  displayName: z.string().optional(),
});

export const features = z.strictObject({
  voiceAgents: z.boolean(),
  chatAgents: z.boolean(),
  callRecording: z.boolean(),
  analytics: z.boolean(),
  maxAgents: z.number(),
  maxConcurrentCalls: z.number(),
});

/** What names a tenant and its plan, in every view of one. */
const tenantFields = {
  id: uuid,
  slug: z.string(),
  name: z.string(),
  parentId: uuid.nullable().describe("The organisation of a department; null for an organisation."),
  tier: z.enum(tenantTier.enumValues),
  status: z.enum(tenantStatus.enumValues),
  maxUsers: z.number(),
  memberCount: z.number(),
  createdAt: timestamp,
};

/** A tenant as the tenants' lists show it. */
export const tenantListItem = z.strictObject(tenantFields);

/** The current tenant (`tenant.current`, and what `tenant.update` and `tenants.create` answer). */
export const tenantView = z.strictObject({
  ...tenantFields,
  archivedAt: timestamp.nullable(),
  purgeAfter: timestamp.nullable().describe("While archived: when the grace period ends and the purge deletes the tenant's data."),
  branding,
  features: features.describe("The effective features: the plan's, lowered by the tenant (and its organisation)."),
  settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  security: z.strictObject({ requireMfa: z.boolean() }),
  routing: z.strictObject({ mode: z.enum(["manual", "round_robin"]), maxOpenPerAgent: z.number() }).nullable(),
  businessHours: z
    .strictObject({
      timezone: z.string(),
      days: z.array(z.strictObject({ day: z.number(), open: z.string(), close: z.string() })),
    })
    .nullable(),
  sla: z.strictObject({ firstResponseMinutes: z.number().nullable() }).nullable(),
  aiReplies: z
    .strictObject({
      enabled: z.boolean(),
      channels: z.array(z.string()),
      agentId: uuid.nullable(),
      handoffKeywords: z.array(z.string()),
      maxTurns: z.number(),
    })
    .nullable()
    .describe("AI replies to inbound messages; null: off."),
  retention: z
    .strictObject({ transcriptsDays: z.number().nullable(), messagesDays: z.number().nullable() })
    .describe("Days call transcripts and message bodies are kept (null: kept); a daily job removes older ones."),
});

export const tenantOutputs = {
  current: tenantView.extend({
    archiveGraceDays: z.number().describe("ARCHIVE_GRACE_DAYS: days from tenant.archive until the tenant's data is purged."),
  }),
  children: page(tenantListItem),
  update: tenantView,
  archive: z.strictObject({ ok: z.literal(true), purgeAfter: timestamp.describe("When the grace period ends and the data is deleted.") }),
  usage: z.strictObject({
    seats: z.strictObject({ members: z.number(), invitations: z.number().describe("Pending invitations hold a seat."), limit: z.number() }),
    agents: z.strictObject({ used: z.number(), limit: z.number() }),
    requests: z
      .strictObject({ thisMinute: z.number(), perMinute: z.number() })
      .describe("The request budget's current one-minute window: drawn so far (replicas lease it in chunks) against the limit."),
  }),
};
