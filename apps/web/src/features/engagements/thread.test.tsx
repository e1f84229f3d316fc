import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { type Message, Thread } from "./thread";

afterEach(cleanup);

const at = "2030-01-01T10:00:00.000Z";
const message = (id: string, kind: Message["kind"], author: Message["author"], body: string) =>
  ({ id, engagementId: "e1", kind, author, body, createdAt: at }) as Message;

describe("Thread", () => {
  it("shows each entry by who wrote it; the AI's handoff note (written by the system) is a system line, not a teammate's note", () => {
    const { container } = render(
      <Thread
        messages={[
          message("1", "inbound", { type: "customer", id: null, name: "Vera" }, "Hello"),
          message("2", "outbound", { type: "ai_agent", id: "a1", name: "Ada" }, "Hi, Ada here"),
          message("3", "note", { type: "system", id: null, name: "AI agent" }, "AI agent handed this conversation to the team: keyword"),
          message("4", "note", { type: "user", id: "u1", name: "Alice" }, "Check the order"),
          message("5", "outbound", { type: "user", id: "u1", name: "Alice" }, "On it"),
        ]}
      />,
    );
    const entries = [...container.querySelectorAll("li[data-entry]")].map((li) => li.getAttribute("data-entry"));
    expect(entries).toEqual(["customer", "ai_agent", "system", "note", "agent"]);
  });
});
