import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TwilioForm } from "./twilio-section";

afterEach(cleanup);

const sid = "AC0123456789abcdef0123456789abcdef";
const token = "0123456789abcdef0123456789abcdef";
const none = { fromNumber: null, messagingServiceSid: null, whatsappFrom: null };

describe("TwilioForm", () => {
  it("connects with the SID and token and leaves empty senders out", () => {
    const onSubmit = vi.fn();
    render(<TwilioForm current={{ configured: false, accountSid: null, ...none }} pending={false} error={null} saved={false} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText("Account SID"), { target: { value: ` ${sid} ` } });
    fireEvent.change(screen.getByLabelText("Auth token"), { target: { value: token } });
    fireEvent.change(screen.getByLabelText("WhatsApp number"), { target: { value: "+15557654321" } });
    fireEvent.click(screen.getByRole("button", { name: "Connect Twilio" }));
    expect(onSubmit).toHaveBeenCalledWith({ accountSid: sid, authToken: token, whatsappFrom: "+15557654321" });
  });

  it("shows what is connected, never the token, and asks for the token again to replace anything", () => {
    const onSubmit = vi.fn();
    render(
      <TwilioForm
        current={{ configured: true, accountSid: sid, ...none, fromNumber: "+15551234567" }}
        pending={false}
        error={null}
        saved={false}
        onSubmit={onSubmit}
      />,
    );
    expect((screen.getByLabelText("Account SID") as HTMLInputElement).value).toBe(sid);
    expect((screen.getByLabelText("Auth token") as HTMLInputElement).value).toBe("");
    expect((screen.getByLabelText("SMS number") as HTMLInputElement).value).toBe("+15551234567");
    fireEvent.change(screen.getByLabelText("SMS number"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Auth token"), { target: { value: token } });
    fireEvent.click(screen.getByRole("button", { name: "Replace credentials" }));
    expect(onSubmit).toHaveBeenCalledWith({ accountSid: sid, authToken: token });
  });

  it("shows the server's refusal on its field", () => {
    const error = {
      message: "Invalid input",
      data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "messagingServiceSid", message: "Give either an SMS number or a Messaging Service, not both" }] },
    };
    render(<TwilioForm current={{ configured: false, accountSid: null, ...none }} pending={false} error={error} saved={false} onSubmit={() => {}} />);
    expect(screen.getByLabelText("Messaging Service SID").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Give either an SMS number or a Messaging Service, not both")).toBeTruthy();
  });
});
