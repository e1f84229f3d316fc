import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MergeContactDialog } from "./merge-contact-dialog";

afterEach(cleanup);

const contact = (id: string, name: string | null, email: string | null, phone: string | null = null) => ({
  id,
  name,
  email,
  phone,
  createdAt: "2026-11-01T10:00:00.000Z",
  updatedAt: "2026-11-01T10:00:00.000Z",
  erasedAt: null,
});
const ada = contact("c-ada", "Ada Lovelace", "ada@example.test");
const adaDuplicate = contact("c-ada-2", null, null, "+442079460000");
const grace = contact("c-grace", "Grace Hopper", "grace@example.test");

function renderDialog(overrides: Partial<Parameters<typeof MergeContactDialog>[0]> = {}) {
  const onMerge = vi.fn();
  const onQueryChange = vi.fn();
  const ui = (more: Partial<Parameters<typeof MergeContactDialog>[0]>) => (
    <MergeContactDialog
      open
      onOpenChange={() => {}}
      into={ada}
      query=""
      onQueryChange={onQueryChange}
      candidates={[ada, adaDuplicate, grace]}
      searching={false}
      onMerge={onMerge}
      pending={false}
      error={null}
      {...overrides}
      {...more}
    />
  );
  const { rerender } = render(ui({}));
  return { onMerge, onQueryChange, rerender: (more: Partial<Parameters<typeof MergeContactDialog>[0]>) => rerender(ui(more)) };
}

describe("MergeContactDialog", () => {
  it("never offers the contact itself, and reviews only once a duplicate is picked", () => {
    const { onQueryChange } = renderDialog();
    const radios = screen.getAllByRole("radio");
    expect(radios.map((r) => r.closest("label")!.textContent)).toEqual(["+442079460000+442079460000", "Grace Hoppergrace@example.test"]);
    const review = screen.getByRole("button", { name: "Review merge" }) as HTMLButtonElement;
    expect(review.disabled).toBe(true);

    fireEvent.change(screen.getByLabelText("Search contacts"), { target: { value: "+44 20" } });
    expect(onQueryChange).toHaveBeenCalledWith("+44 20");

    fireEvent.click(screen.getByRole("radio", { name: /^\+442079460000/ }));
    expect(review.disabled).toBe(false);
  });

  it("asks for confirmation naming what is deleted and what is kept, then merges the duplicate into the contact", () => {
    const { onMerge } = renderDialog();
    fireEvent.click(screen.getByRole("radio", { name: /^Grace Hopper/ }));
    fireEvent.click(screen.getByRole("button", { name: "Review merge" }));
    expect(onMerge).not.toHaveBeenCalled();

    const dialog = screen.getByRole("dialog", { name: "Merge these contacts?" });
    expect(dialog.textContent).toContain("Grace Hopper's conversations, calls, leads and handles move to Ada Lovelace, and Grace Hopper is deleted");
    expect(screen.getByText("Deleted after the move").nextElementSibling!.textContent).toBe("Grace Hopper");
    expect(screen.getByText("Kept, with everything of both").nextElementSibling!.textContent).toBe("Ada Lovelace");

    fireEvent.click(screen.getByRole("button", { name: "Merge contacts" }));
    expect(onMerge).toHaveBeenCalledExactlyOnceWith("c-grace");
  });

  it("goes back to the list with the pick kept, and a pick that leaves the results cannot be reviewed", () => {
    renderDialog();
    fireEvent.click(screen.getByRole("radio", { name: /^Grace Hopper/ }));
    fireEvent.click(screen.getByRole("button", { name: "Review merge" }));
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    expect((screen.getByRole("radio", { name: /^Grace Hopper/ }) as HTMLInputElement).checked).toBe(true);

    cleanup();
    renderDialog({ candidates: [ada] });
    expect(screen.getByText("No other contact matches.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Review merge" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows the server's refusal and keeps the confirmation open", () => {
    const refused = { message: "Contact not found", data: { code: "NOT_FOUND", httpStatus: 404 } };
    const { rerender } = renderDialog();
    fireEvent.click(screen.getByRole("radio", { name: /^Grace Hopper/ }));
    fireEvent.click(screen.getByRole("button", { name: "Review merge" }));
    rerender({ error: refused });
    expect(screen.getByRole("alert").textContent).toContain("Contact not found");
    expect(screen.getByRole("button", { name: "Merge contacts" })).toBeTruthy();
  });
});
