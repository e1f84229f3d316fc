import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SuspendForm } from "./suspend-form";

afterEach(cleanup);

describe("SuspendForm", () => {
  it("asks for a reason before suspending, and sends it trimmed", () => {
    const onSubmit = vi.fn();
    render(<SuspendForm tenantName="Acme" pending={false} error={null} onSubmit={onSubmit} onCancel={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Suspend Acme" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole("alert").textContent).toBe("Say why: the members read it.");
    expect(screen.getByLabelText("Reason").getAttribute("aria-invalid")).toBe("true");
    fireEvent.change(screen.getByLabelText("Reason"), { target: { value: "  Unpaid invoices  " } });
    fireEvent.click(screen.getByRole("button", { name: "Suspend Acme" }));
    expect(onSubmit).toHaveBeenCalledWith("Unpaid invoices");
    expect(screen.getByLabelText("Reason").getAttribute("maxlength")).toBe("500");
  });

  it("shows the server's refusal", () => {
    const error = { message: "This tenant is suspended already", data: { code: "PRECONDITION_FAILED", httpStatus: 412 } };
    render(<SuspendForm tenantName="Acme" pending={false} error={error} onSubmit={() => {}} onCancel={() => {}} />);
    expect(screen.getByRole("alert").textContent).toBe("This tenant is suspended already");
  });
});
