/** Reporting periods for analytics: ranges aligned to the API's UTC buckets, so each bucket is whole. */
import type { RouterInputs } from "../../lib/trpc";

/** The bucket size analytics.timeseries accepts. */
export type Interval = RouterInputs["analytics"]["timeseries"]["interval"];
export type Period = "24h" | "7d" | "30d" | "90d";

export const periods: { value: Period; label: string }[] = [
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "90d", label: "Last 90 days" },
];

const HOUR = 3_600_000;
const DAY = 86_400_000;

export function periodRange(period: Period, now: Date = new Date()): { from: string; to: string; interval: Interval } {
  if (period === "24h") {
    const to = Math.floor(now.getTime() / HOUR) * HOUR + HOUR;
    return { from: new Date(to - 24 * HOUR).toISOString(), to: new Date(to).toISOString(), interval: "hour" };
  }
  const days = Number(period.slice(0, -1));
  const to = Math.floor(now.getTime() / DAY) * DAY + DAY;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString(), interval: "day" };
}

/** Today in the viewer's time zone, for the overview's KPIs. */
export function todayRange(now: Date = new Date()): { from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** The two timeseries joined by bucket for one chart. */
export function mergeSeries(
  calls: { t: string; value: number }[] | undefined,
  engagements: { t: string; value: number }[] | undefined,
): { t: string; calls: number; engagements: number }[] {
  const byT = new Map<string, { t: string; calls: number; engagements: number }>();
  for (const p of calls ?? []) byT.set(p.t, { t: p.t, calls: p.value, engagements: 0 });
  for (const p of engagements ?? []) byT.set(p.t, { t: p.t, calls: byT.get(p.t)?.calls ?? 0, engagements: p.value });
  return [...byT.values()].sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
}
