import { Badge } from "../../components/ui/badge";
import { formatDateTime } from "../../lib/format";
import type { RouterOutputs } from "../../lib/trpc";

type SlaFields = Pick<RouterOutputs["engagements"]["list"]["items"][number], "firstResponseAt" | "firstResponseDueAt" | "slaBreached">;

/** Where a conversation stands against its first-response promise: answered or no promise → null. */
export function slaState(e: SlaFields, now: number = Date.now()): { tone: "bad" | "warn" | "info"; text: string } | null {
  if (e.slaBreached) return { tone: "bad", text: "SLA breached" };
  if (e.firstResponseAt || !e.firstResponseDueAt) return null;
  const left = Date.parse(e.firstResponseDueAt) - now;
  if (left <= 0) return { tone: "bad", text: "SLA breached" };
  const minutes = Math.ceil(left / 60_000);
  const text = minutes < 60 ? `Due in ${minutes} min` : minutes < 48 * 60 ? `Due in ${Math.round(minutes / 60)} h` : `Due in ${Math.round(minutes / 1440)} d`;
  return { tone: minutes <= 15 ? "warn" : "info", text };
}

/** The SLA badge of an inbox row or conversation header (nothing once answered or without an SLA). */
export function SlaBadge({ e }: { e: SlaFields }) {
  const state = slaState(e);
  if (!state) return null;
  return (
    <span title={e.firstResponseDueAt ? `First response due ${formatDateTime(e.firstResponseDueAt)}` : undefined}>
      <Badge tone={state.tone}>{state.text}</Badge>
    </span>
  );
}
