/**
 * The common and breached-password check (NIST SP 800-63B 3.1.1.2), offline: the ~49,000 most common passwords
 * from public breach corpora as shipped by @zxcvbn-ts/language-common (decompressed once, on first use). A
 * password is refused when it is on the list, ignoring case, or is a listed password padded with digits and
 * symbols at either end (`password2024!`, `!!dragon123456`).
 */
import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | null = null;

function list(): Set<string> {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return common;
}

export function isCommonPassword(password: string): boolean {
  const words = list();
  const lower = password.toLowerCase();
  if (words.has(lower)) return true;
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, "");
  // A core of one or two letters is no word from the list, just digits and symbols around it.
  return core.length >= 3 && core !== lower && words.has(core);
}
