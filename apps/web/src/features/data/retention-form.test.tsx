import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseDays, RetentionForm } from "./retention-form";

afterEach(cleanup);

const props = { pending: false, error: null, disabled: false, saved: false };
const transcripts = () => screen.getByLabelText("Delete call transcripts after (days)") as HTMLInputElement;
const messages = () => screen.getByLabelText("Delete message texts after (days)") as HTMLInputElement;

describe("parseDays", () => {
  it("reads empty as keep, whole days from 1 to 3650, and nothing else", () => {
    expect(parseDays(" ")).toEqual({ days: null });
    expect(parseDays("30")).toEqual({ days: 30 });
    expect(parseDays("3650")).toEqual({ days: 3650 });
    for (const bad of ["0", "3651", "1.5", "-2", "1e3", "thirty"]) expect(parseDays(bad)).toHaveProperty("problem");
  });
});

describe("RetentionForm", () => {
  it("shows the current setting and sends both fields, empty as null (kept)", () => {
    const onSubmit = vi.fn();
    render(<RetentionForm retention={{ transcriptsDays: 90, messagesDays: null }} onSubmit={onSubmit} {...props} />);
    expect(transcripts().value).toBe("90");
    expect(messages().value).toBe("");
    fireEvent.change(messages(), { target: { value: "365" } });
    fireEvent.change(transcripts(), { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Save retention" }));
    expect(onSubmit).toHaveBeenCalledWith({ transcriptsDays: null, messagesDays: 365 });
  });

  it("says what is wrong with a number of days on its field and sends nothing", () => {
    const onSubmit = vi.fn();
    render(<RetentionForm retention={{ transcriptsDays: null, messagesDays: null }} onSubmit={onSubmit} {...props} />);
    fireEvent.change(transcripts(), { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Save retention" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(transcripts().getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("alert").textContent).toBe("Use a whole number of days from 1 to 3650, or leave it empty");
  });

  it("is read-only for admins: no save button, the fields disabled, the server's refusal shown", () => {
    const refused = { message: "Only an owner changes how long personal data is kept", data: { code: "FORBIDDEN", httpStatus: 403 } };
    render(<RetentionForm retention={{ transcriptsDays: 30, messagesDays: 30 }} onSubmit={() => {}} {...props} disabled error={refused} />);
    expect(screen.queryByRole("button", { name: "Save retention" })).toBeNull();
    expect(transcripts().closest("fieldset")!.disabled).toBe(true);
    expect(screen.getByRole("alert").textContent).toBe("Only an owner changes how long personal data is kept");
  });
});
