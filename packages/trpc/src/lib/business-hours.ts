/**
 * Business hours and the first-response promise (contract v2, conversations). A tenant's hours are wall-clock
 * intervals per weekday in its IANA time zone; `firstResponseDue` walks them day by day from the creation instant
 * and spends the SLA's minutes only while open. Interval ends are turned into instants with the zone's rules
 * (@date-fns/tz's `tzOffset`, i.e. the runtime's tz database), so a business minute is a real elapsed minute: an
 * opening that spans a spring-forward night is an hour shorter, one that spans a fall-back night an hour longer.
 * A wall time that does not exist (inside a spring-forward gap) moves forward by the gap, like a clock would
 * (02:30 → 03:30); one that exists twice (fall-back) is its first occurrence.
 */
import { tzOffset } from "@date-fns/tz";
import type { BusinessHours, Sla } from "@switchboard/db";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** "HH:MM" → minutes after midnight ("24:00" → 1440, the end of the day). */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** Whether the runtime's tz database knows `zone` (an IANA name such as Europe/Berlin). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The instant at which the zone's clocks read `minutes` after midnight of the calendar date y-m-d. */
function wallToInstant(zone: string, y: number, m: number, d: number, minutes: number): number {
  const wall = Date.UTC(y, m, d, 0, minutes);
  // The offsets in force around that wall time: usually one; two across a transition.
  const before = tzOffset(zone, new Date(wall - DAY_MS));
  const after = tzOffset(zone, new Date(wall + DAY_MS));
  const candidates = [wall - before * MINUTE_MS, wall - after * MINUTE_MS].filter(
    (t) => t + tzOffset(zone, new Date(t)) * MINUTE_MS === wall,
  );
  // Ambiguous (fall-back): the first occurrence. None (a spring-forward gap): the old offset, which lands after the gap.
  return candidates.length > 0 ? Math.min(...candidates) : wall - before * MINUTE_MS;
}

/** The calendar date the zone's clocks show at `instant`. */
function localDate(zone: string, instant: number): { y: number; m: number; d: number } {
  const local = new Date(instant + tzOffset(zone, new Date(instant)) * MINUTE_MS);
  return { y: local.getUTCFullYear(), m: local.getUTCMonth(), d: local.getUTCDate() };
}

/** Open minutes per week by the wall clock (a DST week differs by its hour); 0 when the hours never open. */
export function weeklyOpenMinutes(hours: BusinessHours): number {
  return hours.days.reduce((sum, i) => sum + minutesOfDay(i.close) - minutesOfDay(i.open), 0);
}

/**
 * When the first response is due for a conversation created at `from`: `sla.firstResponseMinutes` business
 * minutes later. No business hours: always open (plain minutes). No SLA (or no minutes): null. Hours that never
 * open: null (no promise can be kept). Tenant settings keep the promise within about a year of opening hours
 * (tenant.update refuses more), so the walk is short.
 */
export function firstResponseDue(hours: BusinessHours | null, sla: Sla | null, from: Date): Date | null {
  const minutes = sla?.firstResponseMinutes;
  if (minutes == null) return null;
  if (!hours) return new Date(from.getTime() + minutes * MINUTE_MS);
  if (weeklyOpenMinutes(hours) <= 0) return null;
  const byDay = new Map<number, { open: number; close: number }[]>();
  for (const i of hours.days) {
    const list = byDay.get(i.day) ?? [];
    list.push({ open: minutesOfDay(i.open), close: minutesOfDay(i.close) });
    byDay.set(i.day, list.sort((a, b) => a.open - b.open));
  }
  const start = from.getTime();
  let remaining = minutes * MINUTE_MS;
  const { y, m, d } = localDate(hours.timezone, start);
  // Calendar days from the creation's local date on (Date.UTC normalises d + n across months and years).
  for (let n = 0; ; n++) {
    const day = new Date(Date.UTC(y, m, d + n));
    for (const i of byDay.get(day.getUTCDay()) ?? []) {
      const [dy, dm, dd] = [day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()];
      const openAt = Math.max(start, wallToInstant(hours.timezone, dy, dm, dd, i.open));
      const closeAt = wallToInstant(hours.timezone, dy, dm, dd, i.close);
      if (closeAt <= openAt) continue;
      if (remaining <= closeAt - openAt) return new Date(openAt + remaining);
      remaining -= closeAt - openAt;
    }
  }
}
