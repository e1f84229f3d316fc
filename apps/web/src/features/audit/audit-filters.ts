import { localDayIso } from "../../lib/format";
import type { RouterInputs } from "../../lib/trpc";

type AuditListInput = Exclude<RouterInputs["audit"]["list"], void | undefined>;
export type AuditResult = NonNullable<AuditListInput["result"]>;

/** The audit log's filter form, and the audit.list input it stands for (empty fields are left out). */
export interface AuditFilters {
  action: string;
  resourceType: string;
  result: "" | AuditResult;
  /** yyyy-mm-dd from a date input, in the viewer's time zone. */
  from: string;
  to: string;
}

export const emptyAuditFilters: AuditFilters = { action: "", resourceType: "", result: "", from: "", to: "" };

const localDay = localDayIso;

/** `to` is inclusive for people (the whole day), exclusive for the API (the next midnight). */
export function auditQueryInput(f: AuditFilters, limit = 25): AuditListInput {
  const input: AuditListInput = { limit };
  const action = f.action.trim();
  if (action) input.action = action;
  if (f.resourceType) input.resourceType = f.resourceType;
  if (f.result) input.result = f.result;
  const from = localDay(f.from);
  if (from) input.from = from;
  const to = localDay(f.to, 1);
  if (to) input.to = to;
  return input;
}
