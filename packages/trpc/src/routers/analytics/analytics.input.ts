import { z } from "zod";
import { isoDateTime } from "../../lib/inputs";

const DAY_MS = 86_400_000;
/** Longest range per bucket size: keeps a timeseries to at most ~750 points. */
export const maxRangeDays = { hour: 31, day: 366 } as const;

const range = { from: isoDateTime, to: isoDateTime };
const ordered = (r: { from: Date; to: Date }) => r.from < r.to;
const orderedMessage = { message: "`from` must be before `to`", path: ["to"] };

/** A summary scans every row of its range: as long as the longest timeseries (daily points), no longer. */
export const maxSummaryDays = maxRangeDays.day;

export const summaryInput = z
  .strictObject(range)
  .refine(ordered, orderedMessage)
  .refine((r) => +r.to - +r.from <= maxSummaryDays * DAY_MS, {
    message: `The range is too long (at most ${maxSummaryDays} days)`,
    path: ["to"],
  });

export const timeseriesInput = z
  .strictObject({ metric: z.enum(["calls", "engagements"]), interval: z.enum(["hour", "day"]), ...range })
  .refine(ordered, orderedMessage)
  .refine((r) => +r.to - +r.from <= maxRangeDays[r.interval] * DAY_MS, {
    message: `The range is too long for this interval (hour: ${maxRangeDays.hour} days, day: ${maxRangeDays.day} days)`,
    path: ["to"],
  });

export type SummaryInput = z.infer<typeof summaryInput>;
export type TimeseriesInput = z.infer<typeof timeseriesInput>;
