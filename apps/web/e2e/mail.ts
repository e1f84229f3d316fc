/**
 * Reading what the API mailed: the development mail catcher that global-setup starts (the API sends to it over
 * real SMTP), through its REST API (`GET /email`, CONTRACT.md "Mail and background work").
 */
import type { CaughtMail as Mail } from "@switchboard/jobs/mail-catcher";
import { inject } from "vitest";

export const mailUrl = inject("mailUrl");

async function allMail(): Promise<Mail[]> {
  const res = await fetch(`${mailUrl}/email`);
  if (!res.ok) throw new Error(`mail catcher answered ${res.status}`);
  return (await res.json()) as Mail[];
}

const sentTo = (mail: Mail, address: string) => mail.to.some((t) => t.address.toLowerCase() === address.toLowerCase());

/**
 * The `nth` mail (1-based, oldest first) to `address` whose subject matches, waiting for it to arrive (mail goes
 * out through a job, so not at once).
 */
export async function waitForMail(address: string, subject: RegExp, nth = 1, timeoutMs = 30_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await allMail()).filter((m) => sentTo(m, address) && subject.test(m.subject));
    if (found.length >= nth) return found[nth - 1]!;
    if (Date.now() > deadline) {
      throw new Error(`no mail #${nth} to ${address} matching ${subject} within ${timeoutMs / 1000}s (${found.length} found)`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** How many mails to `address` match `subject` now. */
export async function countMail(address: string, subject: RegExp): Promise<number> {
  return (await allMail()).filter((m) => sentTo(m, address) && subject.test(m.subject)).length;
}

/** The first link in the mail's plain text whose path is `path` (e.g. "/verify-email"), with its token. */
export function linkIn(mail: Mail, path: string): string {
  for (const match of mail.text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)) {
    const link = new URL(match[0]);
    if (link.pathname === path && link.searchParams.get("token")) return link.href;
  }
  throw new Error(`no ${path}?token= link in the mail "${mail.subject}":\n${mail.text}`);
}
