import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SecurityForm } from "./security-form";

afterEach(cleanup);

/** The form links to /security: render it inside a router. */
async function renderInRouter(ui: ReactNode) {
  const router = createRouter({ routeTree: createRootRoute({ component: () => ui }), history: createMemoryHistory() });
  render(<RouterProvider router={router} />);
  await screen.findByRole("form", { name: "Security" });
}

const props = { pending: false, error: null, disabled: false, saved: false };

describe("SecurityForm", () => {
  it("switches requireMfa on for an admin who has MFA", async () => {
    const onSubmit = vi.fn();
    await renderInRouter(<SecurityForm requireMfa={false} ownMfaEnabled={true} onSubmit={onSubmit} {...props} />);
    fireEvent.click(screen.getByRole("switch", { name: "Require two-factor authentication" }));
    fireEvent.click(screen.getByRole("button", { name: "Save security" }));
    expect(onSubmit).toHaveBeenCalledWith({ requireMfa: true });
  });

  it("cannot be switched on by an admin without MFA, and says how to get it", async () => {
    const onSubmit = vi.fn();
    await renderInRouter(<SecurityForm requireMfa={false} ownMfaEnabled={false} onSubmit={onSubmit} {...props} />);
    expect((screen.getByRole("switch", { name: "Require two-factor authentication" }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole("button", { name: "Save security" })).toBeNull();
    expect(screen.getByRole("link", { name: "Set it up" }).getAttribute("href")).toBe("/security");
  });

  it("can always be switched off", async () => {
    const onSubmit = vi.fn();
    await renderInRouter(<SecurityForm requireMfa={true} ownMfaEnabled={false} onSubmit={onSubmit} {...props} />);
    const toggle = screen.getByRole("switch", { name: "Require two-factor authentication" }) as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);
    fireEvent.click(screen.getByRole("button", { name: "Save security" }));
    expect(onSubmit).toHaveBeenCalledWith({ requireMfa: false });
  });

  it("shows the server's refusal", async () => {
    const refused = { message: "Turn on two-factor authentication for your account first", data: { code: "PRECONDITION_FAILED", httpStatus: 412 } };
    await renderInRouter(<SecurityForm requireMfa={false} ownMfaEnabled={true} onSubmit={() => {}} {...props} error={refused} />);
    expect(screen.getByRole("alert").textContent).toBe("Turn on two-factor authentication for your account first");
  });
});
