import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CreateWebhookDialog } from "./create-webhook-dialog";
import type { WebhookValues } from "./webhook-form";

afterEach(cleanup);

function Harness({ create }: { create: (v: WebhookValues) => Promise<{ secret: string }> }) {
  const [open, setOpen] = useState(false);
  const [client] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={client}>
      <button onClick={() => setOpen(true)}>Open</button>
      <CreateWebhookDialog open={open} onOpenChange={setOpen} create={create} />
    </QueryClientProvider>
  );
}

const box = (name: string) => screen.getByRole("checkbox", { name: new RegExp(`^${name.replace(".", "\\.")}`) }) as HTMLInputElement;

describe("CreateWebhookDialog", () => {
  it("sends the URL and the ticked events in the API's order, shows the secret once and forgets it when closed", async () => {
    const create = vi.fn().mockResolvedValue({ id: "w1", secret: "whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==" });
    render(<Harness create={create} />);
    fireEvent.click(screen.getByText("Open"));
    // Conversations and messages are ticked to start with.
    expect(box("engagement.created").checked).toBe(true);
    expect(box("message.created").checked).toBe(true);
    expect(box("ping").checked).toBe(false);
    fireEvent.change(screen.getByLabelText("Endpoint URL"), { target: { value: "  https://crm.example.com/hooks " } });
    fireEvent.click(box("ping"));
    fireEvent.click(box("engagement.updated"));
    fireEvent.click(box("lead.created"));
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));
    await screen.findByText("whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==");
    expect(create).toHaveBeenCalledWith({
      url: "https://crm.example.com/hooks",
      description: "",
      events: ["engagement.created", "message.created", "lead.created", "ping"],
    });

    fireEvent.click(screen.getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByTestId("new-webhook-secret")).toBeNull());
    fireEvent.click(screen.getByText("Open"));
    expect((screen.getByLabelText("Endpoint URL") as HTMLInputElement).value).toBe("");
    expect(document.body.textContent).not.toContain("whsec_");
  });

  it("asks for an event before sending, and shows the server's refusal of the URL on its field", async () => {
    const create = vi.fn().mockRejectedValue({
      message: "Invalid input",
      data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "url", message: "Webhook URLs must use https" }] },
    });
    render(<Harness create={create} />);
    fireEvent.click(screen.getByText("Open"));
    for (const name of ["engagement.created", "engagement.updated", "message.created"]) fireEvent.click(box(name));
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));
    expect(screen.getByText("Pick at least one event")).toBeTruthy();
    expect(create).not.toHaveBeenCalled();

    fireEvent.click(box("call.created"));
    fireEvent.change(screen.getByLabelText("Endpoint URL"), { target: { value: "http://example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));
    await screen.findByText("Webhook URLs must use https");
    expect(screen.getByLabelText("Endpoint URL").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByTestId("new-webhook-secret")).toBeNull();
  });
});
