import { z } from "zod";
import { auditActorType, auditResult } from "@switchboard/db";
import { page, timestamp, uuid } from "./common";

export const auditOutputs = {
  list: page(
    z.strictObject({
      id: uuid,
      at: timestamp,
      actor: z.strictObject({ type: z.enum(auditActorType.enumValues), id: z.string(), label: z.string() }),
      action: z.string().describe("The procedure's path, e.g. `members.add`."),
      resourceType: z.string(),
      resourceId: z.string().nullable(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      result: z.enum(auditResult.enumValues),
      reason: z.string().nullable(),
      details: z.record(z.string(), z.unknown()).nullable().describe("What the action did in figures and ids, e.g. an erasure's counts per table."),
    }),
  ),
  export: z.strictObject({
    url: z.string().describe("A path on the tenant's host, valid 15 minutes, that streams the filtered log as CSV (`/audit/export.csv?token=…`)."),
  }),
};
