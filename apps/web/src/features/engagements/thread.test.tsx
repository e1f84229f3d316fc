import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { awaitingDelivery, type Message, Thread } from "./thread";

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

  it("shows how a reply sent by SMS or WhatsApp fared under it, with Twilio's reason when it failed", () => {
    const reply = (id: string, delivery: Message["delivery"]) => ({ ...message(id, "outbound", { type: "user", id: "u1", name: "Alice" }, `Reply ${id}`), delivery });
    const { container } = render(
      <Thread
        messages={[
          { ...message("1", "inbound", { type: "customer", id: null, name: "Vera" }, "Hello"), delivery: null },
          reply("2", { status: "queued", error: null }),
          reply("3", { status: "sent", error: null }),
          reply("4", { status: "delivered", error: null }),
          reply("5", { status: "failed", error: "Twilio error 21211: The 'To' number +15005550001 is not a valid phone number." }),
          reply("6", { status: "undelivered", error: null }),
          reply("7", null),
        ]}
      />,
    );
    const states = [...container.querySelectorAll("[data-delivery]")].map((p) => p.textContent);
    expect(states).toEqual([
      "Sending…",
      "Sent",
      "Delivered",
      "Not delivered: Twilio error 21211: The 'To' number +15005550001 is not a valid phone number.",
      "Not delivered",
    ]);
  });

  it("says why a message has no text: erased with its customer, or removed by retention; the others read as written", () => {
    const redacted = (id: string, kind: Message["kind"], author: Message["author"]) => ({ ...message(id, kind, author, ""), redacted: true });
    const thread = [
      redacted("1", "inbound", { type: "customer", id: null, name: "Erased" }),
      redacted("2", "note", { type: "user", id: "u1", name: "Alice" }),
      { ...message("3", "outbound", { type: "user", id: "u1", name: "Alice" }, "Kept reply"), redacted: false },
    ];
    const erased = render(<Thread messages={thread} erased />);
    const texts = () => [...erased.container.querySelectorAll("[data-redacted]")].map((p) => p.textContent);
    expect(texts()).toEqual(["Erased at the customer's request", "Erased at the customer's request"]);
    expect(erased.container.textContent).toContain("Kept reply");
    erased.unmount();
    const retained = render(<Thread messages={thread} />);
    expect([...retained.container.querySelectorAll("[data-redacted]")].map((p) => p.textContent)).toEqual([
      "Text removed by the retention policy",
      "Text removed by the retention policy",
    ]);
  });

  it("asks again for delivery news only while a recent reply is on its way", () => {
    const now = Date.parse(at);
    const m = (status: NonNullable<Message["delivery"]>["status"] | null, minutesAgo = 0) => ({
      delivery: status && { status, error: null },
      createdAt: new Date(now - minutesAgo * 60_000).toISOString(),
    });
    expect(awaitingDelivery([m(null), m("delivered"), m("failed")], now)).toBe(false);
    expect(awaitingDelivery([m(null), m("queued")], now)).toBe(true);
    expect(awaitingDelivery([m("sent", 9)], now)).toBe(true);
    expect(awaitingDelivery([m("sent", 11)], now)).toBe(false);
  });
});
