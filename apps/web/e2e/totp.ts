/**
 * An authenticator app for the journeys: TOTP codes computed with the library the API verifies them with
 * (@oslojs/otp; RFC 6238, 30 s, 6 digits). The API never accepts a time step twice and accepts one step either
 * side of now, so each code is for the step after the last one used, waiting for the clock when that is more than
 * one step ahead.
 */
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import type { Page } from "playwright-core";
import { openSecurity } from "./browser";

export class Authenticator {
  private lastStep = 0;
  constructor(readonly secret: string) {}
  /** A code the API accepts now: a step after the last one used, and at most one ahead of the clock (waits if needed). */
  async next(): Promise<string> {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const step = Math.max(this.lastStep + 1, now);
      if (step <= now + 1) {
        this.lastStep = step;
        return generateHOTP(decodeBase32IgnorePadding(this.secret), BigInt(step), 6);
      }
      await new Promise((r) => setTimeout(r, (now + 1) * 30_000 - Date.now() + 50));
    }
  }
}

/**
 * Turns MFA on from the account menu's security page, as a person would: reads the secret shown for manual entry,
 * types a code, and keeps the recovery codes. Returns the app and the codes.
 */
export async function enableMfa(page: Page): Promise<{ app: Authenticator; recoveryCodes: string[] }> {
  await openSecurity(page);
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const dialog = page.getByRole("dialog", { name: "Set up two-factor authentication" });
  const app = new Authenticator((await dialog.getByTestId("mfa-secret").textContent())!.trim());
  await dialog.getByLabel("Code from the app").fill(await app.next());
  await dialog.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  const codesDialog = page.getByRole("dialog", { name: "Save your recovery codes" });
  const list = codesDialog.getByRole("list", { name: "Recovery codes" });
  await list.waitFor();
  const recoveryCodes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
  await codesDialog.getByRole("button", { name: "I have saved them" }).click();
  await page.getByRole("button", { name: "Turn off" }).waitFor();
  return { app, recoveryCodes };
}
