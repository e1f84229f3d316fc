import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { inboxQueryInput, type InboxFilters, noFilters } from "./engagement-cache";
import { InboxFilterBar } from "./inbox-filters";

afterEach(cleanup);

const labels = [
  { id: "11111111-1111-4111-8111-111111111111", name: "Billing" },
  { id: "22222222-2222-4222-8222-222222222222", name: "VIP" },
];

/** The filter bar and, under it, the engagements.list input the inbox would send. */
function Harness() {
  const [f, setF] = useState<InboxFilters>(noFilters);
  return (
    <>
      <InboxFilterBar value={f} onChange={setF} labels={labels} />
      <output data-testid="input">{JSON.stringify(inboxQueryInput(f))}</output>
    </>
  );
}

const sent = () => JSON.parse(screen.getByTestId("input").textContent!) as Record<string, unknown>;

describe("InboxFilterBar", () => {
  it("views map to assignedUserId me / none / nothing", () => {
    render(<Harness />);
    expect(screen.getByRole("button", { name: "All" }).getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: "Mine" }));
    expect(sent()).toEqual({ limit: 25, assignedUserId: "me" });
    expect(screen.getByRole("button", { name: "Mine" }).getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: "Unassigned" }));
    expect(sent()).toEqual({ limit: 25, assignedUserId: "none" });
    fireEvent.click(screen.getByRole("button", { name: "All" }));
    expect(sent()).toEqual({ limit: 25 });
  });

  it("label and channel filters combine with the view", () => {
    render(<Harness />);
    fireEvent.click(screen.getByRole("button", { name: "Mine" }));
    fireEvent.change(screen.getByLabelText("Label"), { target: { value: labels[1]!.id } });
    fireEvent.change(screen.getByLabelText("Channel"), { target: { value: "whatsapp" } });
    expect(sent()).toEqual({ limit: 25, assignedUserId: "me", labelId: labels[1]!.id, channel: "whatsapp" });
    fireEvent.change(screen.getByLabelText("Label"), { target: { value: "" } });
    expect(sent()).toEqual({ limit: 25, assignedUserId: "me", channel: "whatsapp" });
  });

  it("search applies on Enter, trimmed, and clearing the box drops it", () => {
    render(<Harness />);
    const box = screen.getByRole("searchbox", { name: "Search conversations" });
    fireEvent.change(box, { target: { value: "  refund order " } });
    expect(sent()).toEqual({ limit: 25 });
    fireEvent.submit(screen.getByRole("search"));
    expect(sent()).toEqual({ limit: 25, q: "refund order" });
    fireEvent.change(box, { target: { value: "" } });
    expect(sent()).toEqual({ limit: 25 });
  });
});
