import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { UsageMeter, usageLevel } from "./usage-meter";

afterEach(cleanup);

describe("usageLevel", () => {
  it("is near from 80 % of the limit and full at it; no limit is never near", () => {
    expect(usageLevel(7, 10)).toBe("ok");
    expect(usageLevel(8, 10)).toBe("near");
    expect(usageLevel(10, 10)).toBe("full");
    expect(usageLevel(12, 10)).toBe("full");
    expect(usageLevel(0, 0)).toBe("full");
    expect(usageLevel(1_000, null)).toBe("ok");
  });
});

describe("UsageMeter", () => {
  it("names the limit and reads its numbers out, and says when the limit is reached", () => {
    render(<UsageMeter label="Seats" used={5} limit={5} unit="seats" detail="4 members, 1 pending invitation" />);
    const meter = screen.getByRole("meter", { name: "Seats" });
    expect(meter.getAttribute("aria-valuenow")).toBe("5");
    expect(meter.getAttribute("aria-valuemax")).toBe("5");
    expect(meter.getAttribute("aria-valuetext")).toBe("5 of 5 seats");
    expect(screen.getByText("At the limit · 4 members, 1 pending invitation")).toBeTruthy();
  });
});
