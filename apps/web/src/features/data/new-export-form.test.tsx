import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NewExportForm } from "./new-export-form";

afterEach(cleanup);

const box = (name: string) => screen.getByRole("checkbox", { name }) as HTMLInputElement;

describe("NewExportForm", () => {
  it("starts with conversations as NDJSON and sends the ticked kinds in the API's order", () => {
    const onSubmit = vi.fn();
    render(<NewExportForm onSubmit={onSubmit} pending={false} error={null} />);
    expect(box("Conversations").checked).toBe(true);
    expect((screen.getByRole("radio", { name: /^NDJSON/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(box("Audit log"));
    fireEvent.click(box("Calls"));
    fireEvent.click(screen.getByRole("radio", { name: /^CSV/ }));
    fireEvent.click(screen.getByRole("button", { name: "Start export" }));
    expect(onSubmit).toHaveBeenCalledWith({ kinds: ["engagements", "calls", "audit"], format: "csv" });
  });

  it("asks for one kind at least before sending, and shows the server's refusal", () => {
    const onSubmit = vi.fn();
    const { rerender } = render(<NewExportForm onSubmit={onSubmit} pending={false} error={null} />);
    fireEvent.click(box("Conversations"));
    fireEvent.click(screen.getByRole("button", { name: "Start export" }));
    expect(screen.getByRole("alert").textContent).toBe("Pick at least one kind of data");
    expect(onSubmit).not.toHaveBeenCalled();

    const busy = { message: "At most 3 exports run at a time; wait for one to finish", data: { code: "PRECONDITION_FAILED", httpStatus: 412 } };
    rerender(<NewExportForm onSubmit={onSubmit} pending={false} error={busy} />);
    expect(screen.getAllByRole("alert").map((a) => a.textContent)).toContain("At most 3 exports run at a time; wait for one to finish");
  });
});
