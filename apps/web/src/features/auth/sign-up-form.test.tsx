import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SignUpForm } from "./sign-up-form";

afterEach(cleanup);

/** The shape tRPC's client error has for the API's validation failures. */
const serverValidationError = {
  message: "Invalid input: password: Use at least 10 characters",
  data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "password", message: "Use at least 10 characters" }] },
};

describe("SignUpForm", () => {
  it("sends what was typed, without checks of its own", () => {
    const onSubmit = vi.fn();
    render(<SignUpForm onSubmit={onSubmit} pending={false} error={null} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Pat" } });
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "pat@example.test" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "short" } });
    fireEvent.click(screen.getByRole("button", { name: "Create account" }));
    expect(onSubmit).toHaveBeenCalledWith({ name: "Pat", email: "pat@example.test", password: "short" });
  });

  it("shows the server's message on the field it names, linked for screen readers", () => {
    render(<SignUpForm onSubmit={() => {}} pending={false} error={serverValidationError} />);
    const password = screen.getByLabelText("Password");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    const message = screen.getByText("Use at least 10 characters");
    expect(password.getAttribute("aria-describedby")).toContain(message.id);
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBeNull();
  });

  it("shows other errors above the form", () => {
    const conflict = { message: "An account with this email already exists", data: { code: "CONFLICT", httpStatus: 409 } };
    render(<SignUpForm onSubmit={() => {}} pending={false} error={conflict} />);
    expect(screen.getByRole("alert").textContent).toBe("An account with this email already exists");
  });

  it("disables the button while the request runs", () => {
    render(<SignUpForm onSubmit={() => {}} pending={true} error={null} />);
    expect((screen.getByRole("button", { name: "Create account" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
