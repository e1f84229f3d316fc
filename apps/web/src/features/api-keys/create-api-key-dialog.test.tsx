import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CreateApiKeyDialog, expiresAtFor } from "./create-api-key-dialog";

afterEach(cleanup);

function Harness({ create }: { create: (v: unknown) => Promise<{ key: string }> }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)}>Open</button>
      <CreateApiKeyDialog open={open} onOpenChange={setOpen} create={create} />
    </>
  );
}

describe("CreateApiKeyDialog", () => {
  it("shows the new key once and forgets it when closed", async () => {
    const create = vi.fn().mockResolvedValue({ id: "k1", key: "sk_live_secret_value_123" });
    render(<Harness create={create} />);
    fireEvent.click(screen.getByText("Open"));
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "CRM" } });
    // Every key ends (the API refuses keys without an end): there is no "never".
    const expiry = screen.getByLabelText("Expires") as HTMLSelectElement;
    expect([...expiry.options].map((o) => o.value)).toEqual(["7", "30", "90", "365"]);
    expect(expiry.value).toBe("90");
    fireEvent.change(expiry, { target: { value: "30" } });
    const before = Date.now();
    fireEvent.click(screen.getByRole("button", { name: "Create key" }));
    await screen.findByText("sk_live_secret_value_123");
    expect(create).toHaveBeenCalledWith({ name: "CRM", role: "agent", expiresAt: expect.any(String) });
    const sent = Date.parse((create.mock.calls[0]![0] as { expiresAt: string }).expiresAt);
    expect(sent - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    expect(sent - before).toBeLessThanOrEqual(30 * 86_400_000 + 60_000);

    fireEvent.click(screen.getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByText("sk_live_secret_value_123")).toBeNull());

    // Reopened: an empty form, no trace of the key.
    fireEvent.click(screen.getByText("Open"));
    expect(screen.getByRole("form", { name: "Create API key" })).toBeTruthy();
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("");
    expect(document.body.textContent).not.toContain("sk_live_secret_value_123");
  });

  it("keeps the form and shows the server's field message when creation fails", async () => {
    const create = vi.fn().mockRejectedValue({
      message: "Invalid input",
      data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "name", message: "Must not be empty" }] },
    });
    render(<Harness create={create} />);
    fireEvent.click(screen.getByText("Open"));
    fireEvent.click(screen.getByRole("button", { name: "Create key" }));
    await screen.findByText("Must not be empty");
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByTestId("new-api-key")).toBeNull();
  });
});

describe("expiresAtFor", () => {
  it("counts days from now", () => {
    const now = new Date("2030-01-01T00:00:00.000Z");
    expect(expiresAtFor("30", now)).toBe("2030-01-31T00:00:00.000Z");
    expect(expiresAtFor("365", now)).toBe("2031-01-01T00:00:00.000Z");
  });
});
