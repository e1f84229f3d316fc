import { describe, expect, it } from "vitest";
import { mergeSeries, periodRange } from "./periods";

describe("periodRange", () => {
  const now = new Date("2030-05-10T13:25:00Z");
  it("covers whole UTC days up to the end of today", () => {
    expect(periodRange("7d", now)).toEqual({ from: "2030-05-04T00:00:00.000Z", to: "2030-05-11T00:00:00.000Z", interval: "day" });
  });
  it("covers whole hours for the last 24 hours", () => {
    expect(periodRange("24h", now)).toEqual({ from: "2030-05-09T14:00:00.000Z", to: "2030-05-10T14:00:00.000Z", interval: "hour" });
  });
});

describe("mergeSeries", () => {
  it("joins the two metrics by bucket, in time order", () => {
    expect(
      mergeSeries(
        [
          { t: "2030-01-02T00:00:00Z", value: 3 },
          { t: "2030-01-01T00:00:00Z", value: 1 },
        ],
        [{ t: "2030-01-01T00:00:00Z", value: 5 }],
      ),
    ).toEqual([
      { t: "2030-01-01T00:00:00Z", calls: 1, engagements: 5 },
      { t: "2030-01-02T00:00:00Z", calls: 3, engagements: 0 },
    ]);
  });
});
