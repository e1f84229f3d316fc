import { describe, expect, it } from "vitest";
import type { BusinessHours } from "@switchboard/db";
import { firstResponseDue, isTimeZone, weeklyOpenMinutes } from "./business-hours";

const weekdays = (timezone: string, open = "09:00", close = "17:00"): BusinessHours => ({
  timezone,
  days: [1, 2, 3, 4, 5].map((day) => ({ day, open, close })),
});
const sla = (firstResponseMinutes: number | null) => ({ firstResponseMinutes });
const due = (hours: BusinessHours | null, minutes: number | null, from: string) =>
  firstResponseDue(hours, sla(minutes), new Date(from))?.toISOString() ?? null;

describe("firstResponseDue", () => {
  const berlin = weekdays("Europe/Berlin");
  const newYork = weekdays("America/New_York");

  it("no SLA, or no minutes: no promise; no business hours: always open", () => {
    expect(firstResponseDue(berlin, null, new Date("2026-05-05T10:00:00Z"))).toBeNull();
    expect(due(berlin, null, "2026-05-05T10:00:00Z")).toBeNull();
    expect(due(null, 90, "2026-05-08T21:00:00Z")).toBe("2026-05-08T22:30:00.000Z");
    // Hours that never open keep no promise.
    expect(due({ timezone: "Europe/Berlin", days: [] }, 30, "2026-05-05T10:00:00Z")).toBeNull();
  });

  it("inside the hours: plain minutes; at the open and close boundaries", () => {
    // Tuesday 2026-05-05, Berlin is UTC+2 (CEST): 09:00 local = 07:00Z, 17:00 local = 15:00Z.
    expect(due(berlin, 30, "2026-05-05T08:00:00Z")).toBe("2026-05-05T08:30:00.000Z");
    expect(due(berlin, 60, "2026-05-05T07:00:00Z")).toBe("2026-05-05T08:00:00.000Z"); // exactly at opening
    expect(due(berlin, 60, "2026-05-05T06:59:00Z")).toBe("2026-05-05T08:00:00.000Z"); // a minute before: starts at opening
    expect(due(berlin, 60, "2026-05-05T14:00:00Z")).toBe("2026-05-05T15:00:00.000Z"); // due exactly at closing
    expect(due(berlin, 61, "2026-05-05T14:00:00Z")).toBe("2026-05-06T07:01:00.000Z"); // one minute spills to the next morning
    expect(due(berlin, 1, "2026-05-05T15:00:00Z")).toBe("2026-05-06T07:01:00.000Z"); // created at closing
    expect(due(berlin, 480, "2026-05-05T07:00:00Z")).toBe("2026-05-05T15:00:00.000Z"); // a whole business day
  });

  it("Friday evening → Monday morning; Friday afternoon carries the rest over the weekend", () => {
    // Friday 2026-05-08 21:00 local (19:00Z) → Monday 2026-05-11 10:00 local.
    expect(due(berlin, 60, "2026-05-08T19:00:00Z")).toBe("2026-05-11T08:00:00.000Z");
    // Friday 16:30 local: 30 minutes on Friday, 30 on Monday.
    expect(due(berlin, 60, "2026-05-08T14:30:00Z")).toBe("2026-05-11T07:30:00.000Z");
    // Saturday and Sunday: Monday.
    expect(due(berlin, 15, "2026-05-09T12:00:00Z")).toBe("2026-05-11T07:15:00.000Z");
    expect(due(berlin, 15, "2026-05-10T21:59:00Z")).toBe("2026-05-11T07:15:00.000Z"); // 23:59 Sunday local
    // Several business days: 3 × 480 minutes from Thursday 09:00 is Monday 17:00.
    expect(due(berlin, 3 * 480, "2026-05-07T07:00:00Z")).toBe("2026-05-11T15:00:00.000Z");
  });

  it("days are the zone's calendar days, not UTC's", () => {
    // 2026-05-08 23:30Z is Saturday 01:30 in Berlin (closed) but still Friday 19:30 in New York (closed too).
    expect(due(berlin, 10, "2026-05-08T23:30:00Z")).toBe("2026-05-11T07:10:00.000Z");
    // Monday 2026-05-11 03:00Z is Sunday 23:00 in New York: Monday 09:00 EDT = 13:00Z.
    expect(due(newYork, 10, "2026-05-11T03:00:00Z")).toBe("2026-05-11T13:10:00.000Z");
    // India (UTC+5:30, no DST): 09:00 IST = 03:30Z.
    expect(due(weekdays("Asia/Kolkata"), 45, "2026-05-11T00:00:00Z")).toBe("2026-05-11T04:15:00.000Z");
  });

  it("a day with no hours is skipped; several openings a day; across a year's end", () => {
    const monWed: BusinessHours = {
      timezone: "Europe/Berlin",
      days: [
        { day: 1, open: "09:00", close: "12:00" },
        { day: 1, open: "13:00", close: "17:00" },
        { day: 3, open: "10:00", close: "11:00" },
      ],
    };
    // Monday 11:30 local + 60: 30 before lunch, 30 after → 13:30.
    expect(due(monWed, 60, "2026-05-11T09:30:00Z")).toBe("2026-05-11T11:30:00.000Z");
    // Monday 16:50 + 20: 10 on Monday, Tuesday has no hours, 10 on Wednesday from 10:00.
    expect(due(monWed, 20, "2026-05-11T14:50:00Z")).toBe("2026-05-13T08:10:00.000Z");
    // Wednesday 11:00 + 1: next Monday 09:01.
    expect(due(monWed, 1, "2026-05-13T09:00:00Z")).toBe("2026-05-18T07:01:00.000Z");
    // New Year's Eve 2026 is a Thursday: 16:00 CET + 120 → Friday 2027-01-01 10:00 CET (hours ignore holidays).
    expect(due(berlin, 120, "2026-12-31T15:00:00Z")).toBe("2027-01-01T09:00:00.000Z");
  });

  it("Europe/Berlin spring-forward (2026-03-29): weekend carry-over changes offset; the short night has one hour less", () => {
    // Friday 2026-03-27 16:00 CET (15:00Z) + 120: 60 on Friday, 60 on Monday from 09:00 CEST (07:00Z).
    expect(due(berlin, 120, "2026-03-27T15:00:00Z")).toBe("2026-03-30T08:00:00.000Z");
    const sundayNight: BusinessHours = {
      timezone: "Europe/Berlin",
      days: [{ day: 0, open: "01:00", close: "05:00" }, { day: 1, open: "09:00", close: "17:00" }],
    };
    // Sunday 01:00 CET = 00:00Z to 05:00 CEST = 03:00Z: 180 real minutes, not 240.
    expect(due(sundayNight, 180, "2026-03-28T23:00:00Z")).toBe("2026-03-29T03:00:00.000Z");
    expect(due(sundayNight, 200, "2026-03-28T23:00:00Z")).toBe("2026-03-30T07:20:00.000Z");
    // An opening inside the gap (02:30 does not exist) starts when the clocks read 03:30, like a clock would.
    const inGap: BusinessHours = { timezone: "Europe/Berlin", days: [{ day: 0, open: "02:30", close: "04:00" }] };
    expect(due(inGap, 10, "2026-03-28T22:00:00Z")).toBe("2026-03-29T01:40:00.000Z");
  });

  it("Europe/Berlin fall-back (2026-10-25): the long night has one hour more", () => {
    const allDay: BusinessHours = { timezone: "Europe/Berlin", days: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: "00:00", close: "24:00" })) };
    // Sunday 00:00 CEST (Saturday 22:00Z) to Monday 00:00 CET (Sunday 23:00Z) is 25 hours.
    expect(due(allDay, 25 * 60, "2026-10-24T22:00:00Z")).toBe("2026-10-25T23:00:00.000Z");
    const night: BusinessHours = { timezone: "Europe/Berlin", days: [{ day: 0, open: "01:00", close: "04:00" }] };
    // 01:00 CEST (23:00Z Sat) to 04:00 CET (03:00Z): 240 real minutes.
    expect(due(night, 240, "2026-10-24T20:00:00Z")).toBe("2026-10-25T03:00:00.000Z");
    // An opening at 02:30, which happens twice, starts at its first occurrence (CEST, 00:30Z).
    const twice: BusinessHours = { timezone: "Europe/Berlin", days: [{ day: 0, open: "02:30", close: "03:30" }] };
    expect(due(twice, 10, "2026-10-24T20:00:00Z")).toBe("2026-10-25T00:40:00.000Z");
    // …and lasts until 03:30 CET (02:30Z): 120 real minutes.
    expect(due(twice, 120, "2026-10-24T20:00:00Z")).toBe("2026-10-25T02:30:00.000Z");
  });

  it("America/New_York spring-forward (2026-03-08) and fall-back (2026-11-01)", () => {
    // Friday 2026-03-06 16:30 EST (21:30Z) + 60: 30 on Friday, 30 on Monday from 09:00 EDT (13:00Z).
    expect(due(newYork, 60, "2026-03-06T21:30:00Z")).toBe("2026-03-09T13:30:00.000Z");
    const sunday: BusinessHours = { timezone: "America/New_York", days: [{ day: 0, open: "01:00", close: "04:00" }] };
    // 01:00 EST (06:00Z) to 04:00 EDT (08:00Z): 120 real minutes.
    expect(due(sunday, 120, "2026-03-08T05:00:00Z")).toBe("2026-03-08T08:00:00.000Z");
    expect(due(sunday, 121, "2026-03-08T05:00:00Z")).toBe("2026-03-15T05:01:00.000Z"); // next Sunday 01:01 EDT
    // Fall-back: 01:00 EDT (05:00Z) to 04:00 EST (09:00Z): 240 real minutes.
    expect(due(sunday, 240, "2026-11-01T04:00:00Z")).toBe("2026-11-01T09:00:00.000Z");
    // Friday 2026-10-30 16:00 EDT (20:00Z) + 120: 60 on Friday, Monday 10:00 EST (15:00Z).
    expect(due(newYork, 120, "2026-10-30T20:00:00Z")).toBe("2026-11-02T15:00:00.000Z");
  });

  it("open around the clock is the same as no hours, across both transitions of a year", () => {
    for (const timezone of ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]) {
      const allDay: BusinessHours = { timezone, days: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: "00:00", close: "24:00" })) };
      for (let t = Date.UTC(2026, 0, 1, 7, 13); t < Date.UTC(2027, 0, 1); t += 3 * 86_400_000 + 3_917_000) {
        const from = new Date(t).toISOString();
        expect(due(allDay, 3000, from), `${timezone} ${from}`).toBe(due(null, 3000, from));
      }
    }
  });

  it("weeklyOpenMinutes and isTimeZone", () => {
    expect(weeklyOpenMinutes(berlin)).toBe(5 * 480);
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("+01:00")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});
