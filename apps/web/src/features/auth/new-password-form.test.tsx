import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NewPasswordForm } from "./new-password-form";

afterEach(cleanup);

function type(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe("NewPasswordForm", () => {
  it("sends the password when both entries match", () => {
    const onSubmit = vi.fn();
    render(<NewPasswordForm onSubmit={onSubmit} pending={false} error={null} />);
    type("New password", "a brand new passphrase");
    type("Repeat the new password", "a brand new passphrase");
    fireEvent.click(screen.getByRole("button", { name: "Set new password" }));
    expect(onSubmit).toHaveBeenCalledWith({ password: "a brand new passphrase" });
  });

  it("refuses two different entries without asking the server, and says which field", () => {
    const onSubmit = vi.fn();
    render(<NewPasswordForm onSubmit={onSubmit} pending={false} error={null} />);
    type("New password", "a brand new passphrase");
    type("Repeat the new password", "a brand new passphrase!");
    fireEvent.click(screen.getByRole("button", { name: "Set new password" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Repeat the new password").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("The two passwords differ")).toBeTruthy();

    // Fixed: the message goes and the password is sent.
    type("Repeat the new password", "a brand new passphrase");
    fireEvent.click(screen.getByRole("button", { name: "Set new password" }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(screen.queryByText("The two passwords differ")).toBeNull();
  });

  it("shows the server's password rule on the password field and a spent link above the form", () => {
    const common = {
      message: "Invalid input",
      data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "password", message: "This password is too common" }] },
    };
    const { rerender } = render(<NewPasswordForm onSubmit={() => {}} pending={false} error={common} />);
    expect(screen.getByLabelText("New password").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("This password is too common")).toBeTruthy();

    const spent = { message: "This link has expired or was already used", data: { code: "PRECONDITION_FAILED", httpStatus: 412 } };
    rerender(<NewPasswordForm onSubmit={() => {}} pending={false} error={spent} />);
    expect(screen.getByRole("alert").textContent).toBe("This link has expired or was already used");
  });

  it("asks for the current password when changing it, and shows the server's messages on both fields", () => {
    const onSubmit = vi.fn();
    const { rerender } = render(<NewPasswordForm askCurrent onSubmit={onSubmit} pending={false} error={null} />);
    type("Current password", "the old long password");
    type("New password", "a brand new passphrase");
    type("Repeat the new password", "a brand new passphrase");
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(onSubmit).toHaveBeenCalledWith({ currentPassword: "the old long password", password: "a brand new passphrase" });

    const refused = {
      message: "Invalid input",
      data: {
        code: "BAD_REQUEST",
        httpStatus: 400,
        issues: [
          { path: "newPassword", message: "This password is too common" },
          { path: "currentPassword", message: "Required" },
        ],
      },
    };
    rerender(<NewPasswordForm askCurrent onSubmit={onSubmit} pending={false} error={refused} />);
    expect(screen.getByLabelText("New password").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("Current password").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("This password is too common")).toBeTruthy();
  });
});
