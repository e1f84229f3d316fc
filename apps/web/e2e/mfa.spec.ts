import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, openSecurity, signIn, signOut, signUp, unique, url, useBrowser } from "./browser";
import { Authenticator } from "./totp";

async function signInWithCode(p: Page, email: string, password: string, code: string) {
  await p.goto(url(null, "/sign-in"));
  await signIn(p, email, password);
  const step = p.getByRole("form", { name: "Verify" });
  await step.getByLabel("Authentication code").fill(code);
  await step.getByRole("button", { name: "Verify" }).click();
}

describeInBrowser("two-factor authentication", () => {
  const page = useBrowser();

  // Four TOTP codes of distinct time steps: up to a minute of waiting for the clock.
  it("enable with a QR/secret and a code, then sign in with a TOTP code and with a single-use recovery code; turn it off with a code", { timeout: 150_000 }, async () => {
    const p = page();
    const email = `${unique("mfa")}@example.test`;
    const password = "a long enough password";
    await p.goto(url(null, "/sign-up"));
    await signUp(p, { name: "Milo Multifactor", email, password });
    await p.getByText("You are not a member of any tenant yet").waitFor();

    // Security page from the account menu; set up shows a QR code and the secret for manual entry.
    await openSecurity(p);
    await p.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const dialog = p.getByRole("dialog", { name: "Set up two-factor authentication" });
    const qr = dialog.getByRole("img", { name: "QR code for your authenticator app" });
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    const secret = (await dialog.getByTestId("mfa-secret").textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const app = new Authenticator(secret);

    // A wrong code is refused and the setup stays open.
    await dialog.getByLabel("Code from the app").fill("000000");
    await dialog.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await dialog.getByRole("alert").waitFor();
    await expectAccessible(p, "two-factor setup with a wrong code");
    await dialog.getByLabel("Code from the app").fill(await app.next());
    await dialog.getByRole("button", { name: "Turn on two-factor authentication" }).click();

    // Ten recovery codes, shown once.
    const codesDialog = p.getByRole("dialog", { name: "Save your recovery codes" });
    const list = codesDialog.getByRole("list", { name: "Recovery codes" });
    await list.waitFor();
    const codes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    await expectAccessible(p, "recovery codes");
    await codesDialog.getByRole("button", { name: "I have saved them" }).click();
    await p.getByRole("button", { name: "Turn off" }).waitFor();
    const log = p.getByRole("table", { name: "Security log" });
    await log.getByRole("row").filter({ hasText: "Two-factor authentication turned on" }).waitFor();

    // Signing in now takes a code: the password alone gives no session.
    await signOut(p);
    await p.waitForURL((u) => u.pathname === "/sign-in");
    await signInWithCode(p, email, password, await app.next());
    await p.getByText("You are not a member of any tenant yet").waitFor();

    // A recovery code works once.
    await signOut(p);
    await p.waitForURL((u) => u.pathname === "/sign-in");
    await signInWithCode(p, email, password, codes[0]!);
    await p.getByText("You are not a member of any tenant yet").waitFor();
    await signOut(p);
    await p.waitForURL((u) => u.pathname === "/sign-in");
    await signInWithCode(p, email, password, codes[0]!);
    await p.getByRole("form", { name: "Verify" }).getByRole("alert").waitFor();
    expect(new URL(p.url()).pathname).toBe("/sign-in");

    // Without a code, no way in: the page has no session.
    await p.goto(url(null, "/"));
    await p.waitForURL((u) => u.pathname === "/sign-in");

    // Turning it off takes a code; afterwards the password alone signs in.
    await signInWithCode(p, email, password, await app.next());
    await p.getByText("You are not a member of any tenant yet").waitFor();
    await openSecurity(p);
    await p.getByRole("button", { name: "Turn off" }).click();
    const off = p.getByRole("dialog", { name: "Turn off two-factor authentication?" });
    await off.waitFor();
    await expectAccessible(p, "turn off two-factor dialog");
    await off.getByLabel("Authentication code").fill(await app.next());
    await off.getByRole("button", { name: "Turn off two-factor authentication" }).click();
    await p.getByRole("button", { name: "Set up two-factor authentication" }).waitFor();
    await log.getByRole("row").filter({ hasText: "Two-factor authentication turned off" }).waitFor();
    await signOut(p);
    await p.waitForURL((u) => u.pathname === "/sign-in");
    await signIn(p, email, password);
    await p.getByText("You are not a member of any tenant yet").waitFor();
  });
});
