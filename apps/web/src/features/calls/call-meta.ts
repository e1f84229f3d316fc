import type { BadgeTone } from "../../components/ui/badge";
import { localDayIso } from "../../lib/format";

export const callStatuses = ["queued", "ringing", "in_progress", "completed", "failed", "missed"] as const;
export type CallStatus = (typeof callStatuses)[number];
export const callStatusTone: Record<CallStatus, BadgeTone> = {
  queued: "neutral",
  ringing: "info",
  in_progress: "info",
  completed: "good",
  failed: "bad",
  missed: "warn",
};
export const sentimentTone: Record<string, BadgeTone> = { positive: "good", neutral: "neutral", negative: "bad" };

export interface CallFilters {
  status: "" | CallStatus;
  agentId: string;
  /** yyyy-mm-dd, local; both days inclusive. */
  from: string;
  to: string;
}

export const emptyCallFilters: CallFilters = { status: "", agentId: "", from: "", to: "" };

/** calls.list input for the filter bar: empty fields left out, `to` turned into the next midnight (exclusive). */
export function callsQueryInput(f: CallFilters, limit = 25) {
  const from = localDayIso(f.from);
  const to = localDayIso(f.to, 1);
  return {
    limit,
    ...(f.status ? { status: f.status } : {}),
    ...(f.agentId ? { agentId: f.agentId } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}
