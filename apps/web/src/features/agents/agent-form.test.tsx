import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AgentForm } from "./agent-form";

afterEach(cleanup);

const option = (name: string) => screen.getByRole("option", { name: new RegExp(`^${name}`) }) as HTMLOptionElement;

describe("AgentForm", () => {
  it("offers only the agent types the tenant has switched on", () => {
    render(<AgentForm enabled={{ voice: false, chat: true }} onSubmit={() => {}} onCancel={() => {}} pending={false} error={null} />);
    expect(option("Voice").disabled).toBe(true);
    expect(option("Chat").disabled).toBe(false);
    expect((screen.getByLabelText("Type") as HTMLSelectElement).value).toBe("chat");
  });

  it("sends a chat agent without a voice, and leaves an empty greeting out", () => {
    const onSubmit = vi.fn();
    render(<AgentForm enabled={{ voice: true, chat: true }} onSubmit={onSubmit} onCancel={() => {}} pending={false} error={null} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Ava" } });
    fireEvent.change(screen.getByLabelText("Type"), { target: { value: "chat" } });
    fireEvent.change(screen.getByLabelText("Prompt"), { target: { value: "Help customers." } });
    fireEvent.click(screen.getByRole("button", { name: "Create agent" }));
    expect(onSubmit).toHaveBeenCalledWith({ name: "Ava", type: "chat", configuration: { prompt: "Help customers.", language: "en-US" } });
  });

  it("sends a chat agent's model and endpoint as its provider, and no provider without a model", () => {
    const onSubmit = vi.fn();
    render(<AgentForm enabled={{ voice: false, chat: true }} onSubmit={onSubmit} onCancel={() => {}} pending={false} error={null} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Ava" } });
    fireEvent.change(screen.getByLabelText("Prompt"), { target: { value: "Help customers." } });
    expect((screen.getByLabelText("Endpoint base URL") as HTMLInputElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText("Model"), { target: { value: " gpt-4o-mini " } });
    fireEvent.change(screen.getByLabelText("Endpoint base URL"), { target: { value: "https://llm.example.com/v1" } });
    fireEvent.click(screen.getByRole("button", { name: "Create agent" }));
    expect(onSubmit).toHaveBeenLastCalledWith({
      name: "Ava",
      type: "chat",
      configuration: { prompt: "Help customers.", language: "en-US", provider: { model: "gpt-4o-mini", baseUrl: "https://llm.example.com/v1" } },
    });
    fireEvent.change(screen.getByLabelText("Model"), { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Create agent" }));
    expect(onSubmit).toHaveBeenLastCalledWith({ name: "Ava", type: "chat", configuration: { prompt: "Help customers.", language: "en-US" } });
  });

  it("shows the server's message on nested configuration fields", () => {
    const error = {
      message: "Invalid input",
      data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "configuration.language", message: "Use a language tag such as en-US" }] },
    };
    render(<AgentForm enabled={{ voice: true, chat: true }} onSubmit={() => {}} onCancel={() => {}} pending={false} error={error} />);
    expect(screen.getByLabelText("Language").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Use a language tag such as en-US")).toBeTruthy();
  });
});
