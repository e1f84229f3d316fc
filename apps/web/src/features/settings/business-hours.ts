/**
 * The business-hours editor's model: one row per weekday (Monday first) with up to three openings, turned into the
 * API's `{ timezone, days: [{ day, open, close }] }` and checked the way the API checks it (close after open,
 * openings of a day not overlapping), so a person sees the problem on the row before saving.
 *
 * A time input cannot show "24:00": a closing time of 00:00 means midnight at the end of the day and is sent as
 * "24:00" (and "24:00" from the API is shown as 00:00).
 */
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

export type BusinessHours = NonNullable<RouterOutputs["tenant"]["current"]["businessHours"]>;
type BusinessHoursInput = NonNullable<RouterInputs["tenant"]["update"]["businessHours"]>;

export interface Opening {
  open: string;
  close: string;
}

export interface DayRow {
  /** The API's weekday: 0 is Sunday. */
  day: number;
  label: string;
  /** Empty: closed that day. */
  openings: Opening[];
}

/** The API's limit. */
export const maxOpeningsPerDay = 3;

const weekdays: readonly { day: number; label: string }[] = [
  { day: 1, label: "Monday" },
  { day: 2, label: "Tuesday" },
  { day: 3, label: "Wednesday" },
  { day: 4, label: "Thursday" },
  { day: 5, label: "Friday" },
  { day: 6, label: "Saturday" },
  { day: 0, label: "Sunday" },
];

/** What a new schedule starts from: weekdays 09:00–17:00. */
export const defaultOpening: Opening = { open: "09:00", close: "17:00" };

/** The editor's rows for the tenant's hours; no hours yet (always open) starts from weekdays 9 to 5. */
export function toRows(hours: BusinessHours | null): DayRow[] {
  return weekdays.map(({ day, label }) => ({
    day,
    label,
    openings: hours
      ? hours.days
          .filter((o) => o.day === day)
          .map((o) => ({ open: o.open, close: o.close === "24:00" ? "00:00" : o.close }))
          .sort((a, b) => minutes(a.open) - minutes(b.open))
      : day >= 1 && day <= 5
        ? [{ ...defaultOpening }]
        : [],
  }));
}

function minutes(clock: string): number {
  const [h, m] = clock.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** A closing time in minutes of the day: 00:00 closes at midnight, the end of the day. */
const closingMinutes = (clock: string) => (clock === "00:00" ? 24 * 60 : minutes(clock));

const isClock = (s: string) => /^(?:[01]\d|2[0-3]):[0-5]\d$/.test(s);

/** Problems keyed by `${day}.${index}` (an opening) or "form" (the whole schedule); empty when it can be saved. */
export function validateRows(rows: readonly DayRow[]): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const row of rows) {
    if (row.openings.length > maxOpeningsPerDay) problems[`${row.day}.${maxOpeningsPerDay}`] = `At most ${maxOpeningsPerDay} openings a day`;
    const ordered = row.openings.map((o, index) => ({ ...o, index })).sort((a, b) => minutes(a.open) - minutes(b.open));
    for (const [i, o] of ordered.entries()) {
      const key = `${row.day}.${o.index}`;
      if (!isClock(o.open) || !isClock(o.close)) problems[key] = "Enter an opening and a closing time";
      else if (closingMinutes(o.close) <= minutes(o.open)) problems[key] = "Closes before it opens";
      else if (i > 0 && minutes(o.open) < closingMinutes(ordered[i - 1]!.close)) problems[key] = "Overlaps the hours before";
    }
  }
  if (rows.every((r) => r.openings.length === 0)) problems.form = "Open on at least one day, or choose “Always open”";
  return problems;
}

/** The API's business hours for valid rows (see validateRows). */
export function fromRows(timezone: string, rows: readonly DayRow[]): BusinessHoursInput {
  return {
    timezone,
    days: rows.flatMap((r) =>
      r.openings.map((o) => ({ day: r.day, open: o.open, close: o.close === "00:00" ? "24:00" : o.close })),
    ),
  };
}

/** The browser's IANA time zones, with `current` first in line when the browser does not list it (e.g. "UTC"). */
export function timeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes(current) ? zones : [current, ...zones];
}

/** The zone a new schedule starts in: the browser's own. */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
