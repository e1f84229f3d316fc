import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatRelative, humanize } from "./format";

describe("format", () => {
  it("durations", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(42)).toBe("42s");
    expect(formatDuration(75)).toBe("1m 15s");
    expect(formatDuration(3700)).toBe("1h 1m");
  });
  it("sizes", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toMatch(/^1[\s,.]?023 B$/);
    expect(formatBytes(1536)).toMatch(/^1[.,]5 KB$/);
    expect(formatBytes(5 * 1024 * 1024)).toBe("5 MB");
    expect(formatBytes(3 * 1024 ** 5)).toMatch(/^3[\s,.]?072 TB$/);
  });
  it("labels and relative times", () => {
    expect(humanize("in_progress")).toBe("In progress");
    const now = Date.parse("2030-01-01T12:00:00Z");
    expect(formatRelative("2030-01-01T11:59:50Z", now)).toBe("just now");
    expect(formatRelative("2030-01-01T11:50:00Z", now)).toMatch(/10/);
  });
});
