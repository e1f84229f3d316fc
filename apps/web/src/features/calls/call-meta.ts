import type { BadgeTone } from "../../components/ui/badge";
import { enumValues } from "../../lib/enums";
import { localDayIso } from "../../lib/format";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

type Call = RouterOutputs["calls"]["get"];
export type CallStatus = Call["status"];

export const callStatusTone: Record<CallStatus, BadgeTone> = {
  queued: "neutral",
  ringing: "info",
  in_progress: "info",
  completed: "good",
  failed: "bad",
  missed: "warn",
};
export const callStatuses = enumValues(callStatusTone);

/** Who was on the line, as people read it: an erased customer's call (privacy.eraseContact) keeps no number. */
export function callerLabel(c: Pick<Call, "customerPhone" | "erased">): string {
  return c.erased ? "Erased caller" : c.customerPhone;
}
export type Sentiment = NonNullable<Call["sentiment"]>;
export const sentimentTone: Record<Sentiment, BadgeTone> = { positive: "good", neutral: "neutral", negative: "bad" };
export const sentiments = enumValues(sentimentTone);

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
  } satisfies RouterInputs["calls"]["list"];
}
