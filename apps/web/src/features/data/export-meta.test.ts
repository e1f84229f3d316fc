import { describe, expect, it } from "vitest";
import { downloadable, exportsInFlight, formatRows } from "./export-meta";

describe("export-meta", () => {
  it("polls while an export is queued or running, not once all are ready or failed", () => {
    expect(exportsInFlight([{ status: "ready" }, { status: "failed" }])).toBe(false);
    expect(exportsInFlight([{ status: "ready" }, { status: "pending" }])).toBe(true);
    expect(exportsInFlight([{ status: "running" }])).toBe(true);
    expect(exportsInFlight([])).toBe(false);
  });

  it("offers a download for a ready file until it expires", () => {
    const now = Date.parse("2030-01-08T00:00:00Z");
    const ready = { status: "ready", expiresAt: "2030-01-08T00:00:01Z", removedAt: null } as const;
    expect(downloadable(ready, now)).toBe(true);
    expect(downloadable({ ...ready, expiresAt: "2030-01-07T23:59:59Z" }, now)).toBe(false);
    expect(downloadable({ ...ready, removedAt: "2030-01-07T23:00:00Z" }, now)).toBe(false);
    expect(downloadable({ ...ready, status: "running" }, now)).toBe(false);
  });

  it("counts rows for people", () => {
    expect(formatRows(1)).toBe("1 row");
    expect(formatRows(1_234_567)).toBe("1,234,567 rows");
  });
});
