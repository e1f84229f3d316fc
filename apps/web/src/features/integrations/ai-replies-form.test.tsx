import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AiRepliesForm, aiChannels, parseKeywords } from "./ai-replies-form";

afterEach(cleanup);

/** The form links to /agents: render it inside a router. */
async function renderInRouter(ui: ReactNode) {
  const router = createRouter({ routeTree: createRootRoute({ component: () => ui }), history: createMemoryHistory() });
  render(<RouterProvider router={router} />);
  await screen.findByRole("form", { name: "AI replies" });
}

const agent = (id: string, name: string, type: "chat" | "voice") =>
  ({ id, name, type, configuration: { prompt: "p", language: "en" }, createdAt: "2030-01-01T00:00:00.000Z" }) as never;
const agents = [agent("a-voice", "Vera Voice", "voice"), agent("a-chat", "Charlie Chat", "chat")];
const props = { pending: false, error: null, disabled: false, saved: false };

describe("parseKeywords", () => {
  it("splits on lines and commas, trims, and keeps each keyword once", () => {
    expect(parseKeywords(" human\nAgent, refund \n\nHUMAN,,speak to a person")).toEqual(["human", "Agent", "refund", "speak to a person"]);
  });
});

describe("AiRepliesForm", () => {
  it("offers written channels only and chat agents only", async () => {
    await renderInRouter(<AiRepliesForm aiReplies={null} agents={agents} onSubmit={() => {}} {...props} />);
    expect(aiChannels).not.toContain("voice");
    expect(screen.queryByRole("checkbox", { name: "Voice" })).toBeNull();
    const options = [...(screen.getByLabelText("Chat agent") as HTMLSelectElement).options].map((o) => o.textContent);
    expect(options).toEqual(["No agent", "Charlie Chat"]);
  });

  it("switches AI replies on with the picked agent, channels, keywords and turns", async () => {
    const onSubmit = vi.fn();
    await renderInRouter(<AiRepliesForm aiReplies={null} agents={agents} onSubmit={onSubmit} {...props} />);
    fireEvent.click(screen.getByRole("switch", { name: "Answer with an AI agent" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "SMS" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Email" }));
    fireEvent.change(screen.getByLabelText("Handoff keywords"), { target: { value: "human\nmanager" } });
    fireEvent.change(screen.getByLabelText("AI answers at most"), { target: { value: "3" } });
    fireEvent.click(screen.getByRole("button", { name: "Save AI replies" }));
    expect(onSubmit).toHaveBeenCalledWith({
      enabled: true,
      channels: aiChannels.filter((c) => c === "whatsapp" || c === "email" || c === "chat"),
      agentId: "a-chat",
      handoffKeywords: ["human", "manager"],
      maxTurns: 3,
    });
  });

  it("refuses to switch on without a channel or an agent, and a turn count outside 1..20", async () => {
    const onSubmit = vi.fn();
    const saved = { enabled: false, channels: [], agentId: null, handoffKeywords: [], maxTurns: 5 };
    await renderInRouter(<AiRepliesForm aiReplies={saved} agents={agents} onSubmit={onSubmit} {...props} />);
    fireEvent.click(screen.getByRole("switch", { name: "Answer with an AI agent" }));
    fireEvent.change(screen.getByLabelText("Chat agent"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("AI answers at most"), { target: { value: "21" } });
    fireEvent.click(screen.getByRole("button", { name: "Save AI replies" }));
    expect(screen.getByText("Pick at least one channel")).toBeTruthy();
    expect(screen.getByText("Pick the chat agent that answers")).toBeTruthy();
    expect(screen.getByText("Use a whole number from 1 to 20")).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("shows the server's refusal on its field", async () => {
    const error = {
      message: "Invalid input",
      data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "aiReplies.agentId", message: "Pick a chat agent of this tenant" }] },
    };
    await renderInRouter(<AiRepliesForm aiReplies={null} agents={agents} onSubmit={() => {}} {...props} error={error} />);
    expect(screen.getByText("Pick a chat agent of this tenant")).toBeTruthy();
    expect(screen.getByLabelText("Chat agent").getAttribute("aria-invalid")).toBe("true");
  });
});
