import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MfaCodeForm, normalizeCode } from "./mfa-code-form";

afterEach(cleanup);

describe("normalizeCode", () => {
  it("drops the spaces people paste into a 6-digit code", () => {
    expect(normalizeCode(" 123 456 ")).toBe("123456");
    expect(normalizeCode("123456\n")).toBe("123456");
  });

  it("keeps a recovery code as typed, trimmed", () => {
    expect(normalizeCode("  abcde-12345 \n")).toBe("abcde-12345");
    expect(normalizeCode("1234567")).toBe("1234567");
  });
});

describe("MfaCodeForm", () => {
  it("sends the normalized code", () => {
    const onSubmit = vi.fn();
    render(<MfaCodeForm onSubmit={onSubmit} pending={false} error={null} submitLabel="Verify" />);
    fireEvent.change(screen.getByLabelText("Authentication code"), { target: { value: "987 654" } });
    fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    expect(onSubmit).toHaveBeenCalledWith("987654");
  });

  it("cannot be sent empty", () => {
    const onSubmit = vi.fn();
    render(<MfaCodeForm onSubmit={onSubmit} pending={false} error={null} submitLabel="Verify" />);
    fireEvent.change(screen.getByLabelText("Authentication code"), { target: { value: "   " } });
    expect((screen.getByRole("button", { name: "Verify" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(screen.getByRole("form", { name: "Verify" }));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("shows a refused code on the field", () => {
    const refused = {
      message: "Invalid input: code: Enter a 6-digit code or a recovery code",
      data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "code", message: "Enter a 6-digit code or a recovery code" }] },
    };
    render(<MfaCodeForm onSubmit={() => {}} pending={false} error={refused} submitLabel="Verify" />);
    expect(screen.getByLabelText("Authentication code").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Enter a 6-digit code or a recovery code")).toBeTruthy();
  });

  it("shows other refusals (a wrong code, an expired challenge) above the form", () => {
    const wrong = { message: "That code is not valid", data: { code: "UNAUTHORIZED", httpStatus: 401 } };
    render(<MfaCodeForm onSubmit={() => {}} pending={false} error={wrong} submitLabel="Verify" allowRecoveryCode={false} />);
    expect(screen.getByRole("alert").textContent).toBe("That code is not valid");
    expect(screen.getByText("The 6-digit code from your authenticator app.")).toBeTruthy();
  });
});
