import { describe, expect, it } from "vitest";
import { slaState } from "./sla-badge";

const now = Date.parse("2030-01-01T12:00:00Z");
const e = (over: Partial<Parameters<typeof slaState>[0]>) => ({ firstResponseAt: null, firstResponseDueAt: null, slaBreached: false, ...over });

describe("slaState", () => {
  it("nothing without a promise or once answered in time", () => {
    expect(slaState(e({}), now)).toBeNull();
    expect(slaState(e({ firstResponseDueAt: "2030-01-01T13:00:00Z", firstResponseAt: "2030-01-01T12:30:00Z" }), now)).toBeNull();
  });

  it("due soon warns, later informs, past due or flagged is breached", () => {
    expect(slaState(e({ firstResponseDueAt: "2030-01-01T12:10:00Z" }), now)).toEqual({ tone: "warn", text: "Due in 10 min" });
    expect(slaState(e({ firstResponseDueAt: "2030-01-01T15:00:00Z" }), now)).toEqual({ tone: "info", text: "Due in 3 h" });
    expect(slaState(e({ firstResponseDueAt: "2030-01-01T11:59:00Z" }), now)).toEqual({ tone: "bad", text: "SLA breached" });
    expect(slaState(e({ firstResponseDueAt: "2030-01-01T11:00:00Z", firstResponseAt: "2030-01-01T11:30:00Z", slaBreached: true }), now)).toEqual({
      tone: "bad",
      text: "SLA breached",
    });
  });
});
