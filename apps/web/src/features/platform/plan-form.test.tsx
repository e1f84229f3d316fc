import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PlanForm } from "./plan-form";
import { type PlanValues, planValues, setPlanInput } from "./plan-values";

afterEach(cleanup);

const tenantId = "7d3f9a52-2c1e-4c1b-9a53-0d5d2f1e8b10";
const free = { tier: "free" as const, maxUsers: 5, planFeatures: {} };
const custom = { tier: "pro" as const, maxUsers: 80, planFeatures: { voiceAgents: false, maxAgents: 30 } };

describe("plan values", () => {
  it("send the current plan back unchanged", () => {
    expect(setPlanInput(tenantId, planValues(custom, 4000))).toEqual({
      tenantId,
      tier: "pro",
      maxUsers: 80,
      requestsPerMinute: 4000,
      features: { voiceAgents: false, maxAgents: 30 },
    });
    // The tier's own budget is not pinned: null keeps following the tier.
    expect(setPlanInput(tenantId, planValues(free, null))).toEqual({ tenantId, tier: "free", maxUsers: 5, requestsPerMinute: null, features: {} });
  });
});

describe("PlanForm", () => {
  it("another tier starts from its own seats and budget; grants are kept, and edited ones sent", () => {
    const onSubmit = vi.fn<(v: PlanValues) => void>();
    render(<PlanForm initial={planValues(custom, 4000)} pending={false} saved={false} error={null} onSubmit={onSubmit} />);
    expect((screen.getByLabelText("Seats") as HTMLInputElement).value).toBe("80");
    fireEvent.change(screen.getByLabelText("Tier"), { target: { value: "enterprise" } });
    expect((screen.getByLabelText("Seats") as HTMLInputElement).value).toBe("");
    expect((screen.getByLabelText("Requests per minute") as HTMLInputElement).value).toBe("");
    fireEvent.change(screen.getByLabelText("Call recording"), { target: { value: "on" } });
    fireEvent.change(screen.getByLabelText("AI agents at most"), { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Save plan" }));
    expect(setPlanInput(tenantId, onSubmit.mock.calls[0]![0])).toEqual({
      tenantId,
      tier: "enterprise",
      requestsPerMinute: null,
      features: { voiceAgents: false, callRecording: true },
    });
  });

  it("shows the server's refusal on its field", () => {
    const error = {
      message: "Invalid input",
      data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "maxUsers", message: "Too small: expected number to be >=1" }] },
    };
    render(<PlanForm initial={planValues(free, null)} pending={false} saved={false} error={error} onSubmit={() => {}} />);
    expect(screen.getByLabelText("Seats").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Too small: expected number to be >=1")).toBeTruthy();
  });
});
