import { describe, expect, it } from "vitest";
import { callerLabel, callsQueryInput, emptyCallFilters } from "./call-meta";

describe("callsQueryInput", () => {
  it("sends only the filters that are set", () => {
    expect(callsQueryInput(emptyCallFilters)).toEqual({ limit: 25 });
    expect(callsQueryInput({ ...emptyCallFilters, status: "missed", agentId: "a1" })).toEqual({ limit: 25, status: "missed", agentId: "a1" });
  });

  it("makes the date range cover whole local days", () => {
    const input = callsQueryInput({ ...emptyCallFilters, from: "2030-03-01", to: "2030-03-02" });
    expect(input).toEqual({ limit: 25, from: new Date(2030, 2, 1).toISOString(), to: new Date(2030, 2, 3).toISOString() });
  });
});

describe("callerLabel", () => {
  it("names the number, or says the caller was erased (the API's placeholder is never shown)", () => {
    expect(callerLabel({ customerPhone: "+442079460000", erased: false })).toBe("+442079460000");
    expect(callerLabel({ customerPhone: "erased", erased: true })).toBe("Erased caller");
  });
});
