import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { slashQuery } from "./canned-shortcut";
import { Composer } from "./composer";

afterEach(cleanup);

const canned = [
  { id: "1", shortcut: "refund", title: "Refund on its way", body: "Your refund has been issued and arrives in 3-5 days." },
  { id: "2", shortcut: "hello", title: "Greeting", body: "Hello! Thanks for reaching out." },
  { id: "3", shortcut: "thanks", title: "Closing", body: "Thanks, and have a great day." },
];

function type(area: HTMLTextAreaElement, value: string) {
  fireEvent.change(area, { target: { value, selectionStart: value.length, selectionEnd: value.length } });
}

function setup(onSubmit = vi.fn().mockResolvedValue({})) {
  render(<Composer canned={canned} onSubmit={onSubmit} pending={false} error={null} />);
  return { area: screen.getByLabelText("Reply") as HTMLTextAreaElement, onSubmit };
}

describe("Composer", () => {
  it("typing / lists the canned responses, the word filters them and Enter inserts the body", () => {
    const { area } = setup();
    type(area, "/");
    expect(screen.getAllByRole("option")).toHaveLength(3);
    type(area, "/ref");
    const options = screen.getAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual([expect.stringContaining("/refund")]);
    expect(area.getAttribute("aria-activedescendant")).toBe(options[0]!.id);

    fireEvent.keyDown(area, { key: "Enter" });
    expect(area.value).toBe("Your refund has been issued and arrives in 3-5 days.");
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("inserts after text already written, and arrows pick another response", () => {
    const { area } = setup();
    type(area, "Hi Sam, /");
    fireEvent.keyDown(area, { key: "ArrowDown" });
    expect(screen.getAllByRole("option")[1]!.getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(area, { key: "Enter" });
    expect(area.value).toBe("Hi Sam, Hello! Thanks for reaching out.");
  });

  it("a slash inside a word is not a shortcut, and Escape closes the list without inserting", () => {
    const { area } = setup();
    type(area, "and/or");
    expect(screen.queryByRole("listbox")).toBeNull();
    type(area, "/th");
    expect(screen.getAllByRole("option")).toHaveLength(1);
    fireEvent.keyDown(area, { key: "Escape" });
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(area.value).toBe("/th");
  });

  it("clicking a response inserts it", () => {
    const { area } = setup();
    type(area, "/");
    fireEvent.mouseDown(screen.getByRole("option", { name: /Greeting/ }));
    expect(area.value).toBe("Hello! Thanks for reaching out.");
  });

  it("sends a reply or a note and clears the text once sent", async () => {
    const { area, onSubmit } = setup();
    type(area, "/hello");
    fireEvent.keyDown(area, { key: "Tab" });
    fireEvent.click(screen.getByRole("button", { name: "Send reply" }));
    await waitFor(() => expect(area.value).toBe(""));
    expect(onSubmit).toHaveBeenCalledWith("reply", "Hello! Thanks for reaching out.");

    fireEvent.click(screen.getByRole("button", { name: "Note" }));
    const note = screen.getByLabelText("Internal note") as HTMLTextAreaElement;
    type(note, "Customer is a VIP");
    fireEvent.click(screen.getByRole("button", { name: "Add note" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith("note", "Customer is a VIP"));
  });

  it("keeps the text when sending fails and shows the server's message", async () => {
    const onSubmit = vi.fn().mockRejectedValue(new Error("no"));
    render(
      <Composer
        canned={canned}
        onSubmit={onSubmit}
        pending={false}
        error={{ message: "Invalid input", data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "body", message: "Too long" }] } }}
      />,
    );
    const area = screen.getByLabelText("Reply") as HTMLTextAreaElement;
    type(area, "Hello there");
    fireEvent.click(screen.getByRole("button", { name: "Send reply" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(area.value).toBe("Hello there");
    expect(screen.getByRole("alert").textContent).toBe("Too long");
  });
});

describe("slashQuery", () => {
  it("finds the /word before the caret", () => {
    expect(slashQuery("/ref", 4)).toEqual({ start: 0, query: "ref" });
    expect(slashQuery("a /Ref b", 6)).toEqual({ start: 2, query: "ref" });
    expect(slashQuery("a /ref b", 8)).toBeNull();
    expect(slashQuery("http://x", 8)).toBeNull();
  });
});
