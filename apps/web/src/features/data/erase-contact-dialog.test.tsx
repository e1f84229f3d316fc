import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EraseContactDialog } from "./erase-contact-dialog";

afterEach(cleanup);

function renderDialog(onConfirm = vi.fn(), error: unknown = null) {
  render(
    <EraseContactDialog
      open
      onOpenChange={() => {}}
      confirmText="ada@example.test"
      summary="1 conversation, 2 messages, 0 calls, 0 leads are removed or anonymised."
      onConfirm={onConfirm}
      pending={false}
      error={error}
    />,
  );
  return { onConfirm, button: screen.getByRole("button", { name: "Erase for good" }) as HTMLButtonElement, field: screen.getByLabelText("Type ada@example.test to confirm") };
}

describe("EraseContactDialog", () => {
  it("erases only once the contact's address is typed in full", () => {
    const { onConfirm, button, field } = renderDialog();
    expect(screen.getByText("1 conversation, 2 messages, 0 calls, 0 leads are removed or anonymised.")).toBeTruthy();
    expect(button.disabled).toBe(true);
    fireEvent.change(field, { target: { value: "ada@example" } });
    expect(button.disabled).toBe(true);
    fireEvent.submit(field.closest("form")!);
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.change(field, { target: { value: " ada@example.test " } });
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("shows why the API refused", () => {
    renderDialog(vi.fn(), { message: "Only owners erase contacts", data: { code: "FORBIDDEN", httpStatus: 403 } });
    expect(screen.getByRole("alert").textContent).toBe("Only owners erase contacts");
  });
});
