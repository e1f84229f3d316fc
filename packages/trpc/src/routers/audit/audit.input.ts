import { z } from "zod";
import { auditResult } from "@switchboard/db";
import { isoDateTime, pagination, uuid } from "../../lib/inputs";

/** What the log can be filtered by: the same for the list and the CSV. */
const auditFilters = {
  action: z.string().max(100).optional(),
  resourceType: z.string().max(50).optional(),
  actorId: uuid.optional(),
  result: z.enum(auditResult.enumValues).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
};

export const listAuditInput = z.strictObject({ ...auditFilters, ...pagination }).default({ limit: 50 });

/** `audit.export`: the list's filters, no paging (the CSV has every matching entry). */
export const exportAuditInput = z.strictObject(auditFilters).default({});
