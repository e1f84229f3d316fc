import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MfaSetupDialog } from "./mfa-setup-dialog";

afterEach(cleanup);

const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const otpauthUrl = `otpauth://totp/Switchboard:pat%40example.test?secret=${secret}&issuer=Switchboard&algorithm=SHA1&digits=6&period=30`;
const codes = Array.from({ length: 10 }, (_, i) => `code${i}-abcde`);

function Harness(props: { setup: () => Promise<{ secret: string; otpauthUrl: string }>; enable: (code: string) => Promise<{ recoveryCodes: string[] }> }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)}>Open</button>
      <MfaSetupDialog open={open} onOpenChange={setOpen} {...props} />
    </>
  );
}

describe("MfaSetupDialog", () => {
  it("shows the QR code and the secret, enables with a code, shows the recovery codes once", async () => {
    const setup = vi.fn().mockResolvedValue({ secret, otpauthUrl });
    const enable = vi.fn().mockResolvedValue({ recoveryCodes: codes });
    render(<Harness setup={setup} enable={enable} />);
    fireEvent.click(screen.getByText("Open"));

    const qr = (await screen.findByAltText("QR code for your authenticator app")) as HTMLImageElement;
    expect(qr.src.startsWith("data:image/svg+xml")).toBe(true);
    expect(screen.getByTestId("mfa-secret").textContent).toBe(secret);
    expect(setup).toHaveBeenCalledTimes(1);

    fireEvent.change(screen.getByLabelText("Code from the app"), { target: { value: "123 456" } });
    fireEvent.click(screen.getByRole("button", { name: "Turn on two-factor authentication" }));
    await screen.findByRole("list", { name: "Recovery codes" });
    expect(enable).toHaveBeenCalledWith("123456");
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(codes);
    expect(screen.queryByTestId("mfa-secret")).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "I have saved them" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(document.body.textContent).not.toContain(codes[0]);
    expect(document.body.textContent).not.toContain(secret);

    // Opening again asks for a new secret and shows no trace of the codes.
    fireEvent.click(screen.getByText("Open"));
    await screen.findByAltText("QR code for your authenticator app");
    expect(setup).toHaveBeenCalledTimes(2);
    expect(document.body.textContent).not.toContain(codes[0]);
  });

  it("keeps the QR code and shows a wrong code's refusal", async () => {
    const setup = vi.fn().mockResolvedValue({ secret, otpauthUrl });
    const enable = vi.fn().mockRejectedValue({ message: "That code is not valid", data: { code: "BAD_REQUEST", httpStatus: 400 } });
    render(<Harness setup={setup} enable={enable} />);
    fireEvent.click(screen.getByText("Open"));
    fireEvent.change(await screen.findByLabelText("Code from the app"), { target: { value: "000000" } });
    fireEvent.click(screen.getByRole("button", { name: "Turn on two-factor authentication" }));
    expect((await screen.findByRole("alert")).textContent).toBe("That code is not valid");
    expect(screen.getByTestId("mfa-secret").textContent).toBe(secret);
    expect(screen.queryByRole("list", { name: "Recovery codes" })).toBeNull();
  });

  it("offers a retry when the setup fails", async () => {
    const setup = vi.fn().mockRejectedValueOnce({ message: "Too many requests", data: { code: "TOO_MANY_REQUESTS", httpStatus: 429 } });
    setup.mockResolvedValueOnce({ secret, otpauthUrl });
    render(<Harness setup={setup} enable={vi.fn()} />);
    fireEvent.click(screen.getByText("Open"));
    await screen.findByText("Could not start the setup");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect((await screen.findByTestId("mfa-secret")).textContent).toBe(secret);
  });
});
