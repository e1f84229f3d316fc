/**
 * TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) over @oslojs/otp, plus what the library leaves to us:
 * which time step a code matched, so a caller can refuse a code at or before the last step it accepted (no
 * replay within the window), and the recovery codes that stand in for a lost authenticator.
 */
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP, verifyHOTP } from "@oslojs/otp";
import { randomBytes } from "node:crypto";
import { hashToken } from "./tokens";

export const totpPeriodSeconds = 30;
export const totpDigits = 6;
/** Steps accepted either side of now: one (±30 s) absorbs clock drift and typing time. */
const driftSteps = 1;

/** A new secret: 160 random bits (RFC 4226's recommendation), as the base32 text authenticator apps take. */
export function generateTotpSecret(): string {
  return encodeBase32NoPadding(randomBytes(20));
}

/** The `otpauth://` URL a QR code carries. */
export function totpUri(issuer: string, accountName: string, secret: string): string {
  return createTOTPKeyURI(issuer, accountName, decodeBase32IgnorePadding(secret), totpPeriodSeconds, totpDigits);
}

export const currentTotpStep = (nowMs = Date.now()) => Math.floor(nowMs / 1000 / totpPeriodSeconds);

/**
 * The time step `code` is valid for (now ± one step), newest first, or null. Steps at or before `afterStep`
 * are not considered: a code once accepted is never accepted again.
 */
export function matchTotp(secret: string, code: string, afterStep: number | null, nowMs = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = decodeBase32IgnorePadding(secret);
  const now = currentTotpStep(nowMs);
  for (let step = now + driftSteps; step >= now - driftSteps; step--) {
    if (afterStep !== null && step <= afterStep) break;
    if (verifyHOTP(key, BigInt(step), totpDigits, code)) return step;
  }
  return null;
}

/** The code an authenticator shows for `secret` at time step `step` (what the user types). */
export function totpCodeAt(secret: string, step: number): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), totpDigits);
}

/** Ten single-use recovery codes `xxxxx-xxxxx` (50 random bits each, lower-case base32). */
export function generateRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const s = encodeBase32NoPadding(randomBytes(7)).slice(0, 10).toLowerCase();
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

/** Recovery codes are stored as the SHA-256 of their normalised form (case, spaces and hyphens do not matter). */
export function hashRecoveryCode(code: string): string {
  return hashToken(`recovery:${code.toLowerCase().replace(/[\s-]/g, "")}`);
}

/** A code as typed: six digits is a TOTP code, anything else is tried as a recovery code. */
export const isTotpCode = (code: string) => /^\d{6}$/.test(code.replace(/\s/g, ""));
