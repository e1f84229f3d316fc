// Encryption at rest, TOTP, recovery codes and the common-password list: pure functions, no database.
import { randomBytes } from "node:crypto";
import { encodeBase32NoPadding } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import {
  createSecretBox,
  currentTotpStep,
  generateEncryptionKey,
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  isCommonPassword,
  matchTotp,
  parseEncryptionKey,
  sessionRef,
  totpUri,
} from "../src/index";
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";

describe("secret box (AES-256-GCM)", () => {
  const key = randomBytes(32);
  it("round-trips, never shows the plain text, and differs each time", () => {
    const box = createSecretBox([key]);
    const a = box.seal("JBSWY3DPEHPK3PXP", "mfa:u1");
    const b = box.seal("JBSWY3DPEHPK3PXP", "mfa:u1");
    expect(a).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(a).not.toContain("JBSWY3DPEHPK3PXP");
    expect(a).not.toBe(b);
    expect(box.open(a, "mfa:u1")).toBe("JBSWY3DPEHPK3PXP");
  });

  it("refuses another context, a tampered value and an unknown key", () => {
    const box = createSecretBox([key]);
    const sealed = box.seal("secret", "mfa:u1");
    expect(() => box.open(sealed, "mfa:u2")).toThrow();
    const parts = sealed.split(".");
    parts[3] = Buffer.from("x" + Buffer.from(parts[3]!, "base64url").toString("latin1").slice(1), "latin1").toString("base64url");
    expect(() => box.open(parts.join("."), "mfa:u1")).toThrow();
    expect(() => createSecretBox([randomBytes(32)]).open(sealed, "mfa:u1")).toThrow(/key/);
    expect(() => box.open("plain text", "mfa:u1")).toThrow();
  });

  it("rotates: a new first key seals, the old one still opens", () => {
    const old = createSecretBox([key]).seal("s", "c");
    const rotated = createSecretBox([randomBytes(32), key]);
    expect(rotated.open(old, "c")).toBe("s");
    expect(rotated.seal("s", "c").split(".")[1]).not.toBe(old.split(".")[1]);
  });

  it("signs: the same input signs the same, another context, data or key does not verify; rotation keeps old signatures", () => {
    const box = createSecretBox([key]);
    const mac = box.sign("t1:e1:2026-01-01T00:00:00.000Z", "csat");
    expect(mac).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(box.sign("t1:e1:2026-01-01T00:00:00.000Z", "csat")).toBe(mac);
    expect(box.verify("t1:e1:2026-01-01T00:00:00.000Z", "csat", mac)).toBe(true);
    expect(box.verify("t1:e1:2026-01-01T00:00:00.001Z", "csat", mac)).toBe(false);
    expect(box.verify("t1:e1:2026-01-01T00:00:00.000Z", "other", mac)).toBe(false);
    expect(box.verify("t1:e1:2026-01-01T00:00:00.000Z", "csat", `${mac.slice(0, -1)}A`)).toBe(mac.endsWith("A"));
    expect(box.verify("t1:e1:2026-01-01T00:00:00.000Z", "csat", "short")).toBe(false);
    expect(box.verify("t1:e1:2026-01-01T00:00:00.000Z", "csat", `${mac}=`)).toBe(false);
    expect(createSecretBox([randomBytes(32)]).verify("t1:e1:2026-01-01T00:00:00.000Z", "csat", mac)).toBe(false);
    const rotated = createSecretBox([randomBytes(32), key]);
    expect(rotated.verify("t1:e1:2026-01-01T00:00:00.000Z", "csat", mac)).toBe(true);
    expect(rotated.sign("t1:e1:2026-01-01T00:00:00.000Z", "csat")).not.toBe(mac);
  });

  it("parses keys as hex or base64 and refuses anything else", () => {
    expect(parseEncryptionKey(generateEncryptionKey())).toHaveLength(32);
    expect(parseEncryptionKey("ab".repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(randomBytes(32).toString("base64"))).toHaveLength(32);
    expect(() => parseEncryptionKey("too short")).toThrow(/32 random bytes/);
    expect(() => parseEncryptionKey(randomBytes(16).toString("base64"))).toThrow();
  });
});

describe("TOTP", () => {
  it("matches RFC 6238's SHA-1 vectors (last 6 digits)", () => {
    const secret = encodeBase32NoPadding(Buffer.from("12345678901234567890"));
    expect(matchTotp(secret, "287082", null, 59_000)).toBe(1);
    expect(matchTotp(secret, "081804", null, 1111111109_000)).toBe(37037036);
    expect(matchTotp(secret, "005924", null, 1234567890_000)).toBe(41152263);
  });

  it("accepts one step of drift, not two, and never a step at or before the last accepted one", () => {
    const secret = generateTotpSecret();
    const key = decodeBase32IgnorePadding(secret);
    const now = Date.now();
    const step = currentTotpStep(now);
    const code = (s: number) => generateHOTP(key, BigInt(s), 6);
    expect(matchTotp(secret, code(step), null, now)).toBe(step);
    expect(matchTotp(secret, code(step - 1), null, now)).toBe(step - 1);
    expect(matchTotp(secret, code(step + 1), null, now)).toBe(step + 1);
    expect(matchTotp(secret, code(step - 2), null, now)).toBeNull();
    expect(matchTotp(secret, code(step), step, now)).toBeNull(); // replay
    expect(matchTotp(secret, code(step - 1), step, now)).toBeNull(); // older than the last one used
    expect(matchTotp(secret, code(step + 1), step, now)).toBe(step + 1);
    expect(matchTotp(secret, "12345", null, now)).toBeNull();
  });

  it("builds an otpauth URL with the secret, 30 s period and 6 digits", () => {
    const secret = generateTotpSecret();
    const url = new URL(totpUri("Switchboard", "dana@example.test", secret));
    expect(url.protocol).toBe("otpauth:");
    expect(url.searchParams.get("secret")).toBe(secret);
    expect(url.searchParams.get("period")).toBe("30");
    expect(url.searchParams.get("digits")).toBe("6");
    expect(decodeBase32IgnorePadding(secret)).toHaveLength(20);
  });
});

describe("recovery codes", () => {
  it("are 10 distinct codes, hashed the same however they are typed", () => {
    const codes = generateRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const c = codes[0]!;
    expect(hashRecoveryCode(c.toUpperCase().replace("-", " "))).toBe(hashRecoveryCode(c));
    expect(hashRecoveryCode(c)).not.toContain(c.replace("-", ""));
  });
});

describe("common passwords", () => {
  it("refuses listed passwords, ignoring case, and listed words padded with digits or symbols", () => {
    for (const p of ["password123", "1234567890", "QwertyUiop", "basketball", "monkey12345678", "password2024!", "!!dragon123456"]) {
      expect(isCommonPassword(p), p).toBe(true);
    }
    for (const p of ["correct horse battery", "a long enough password", "purple-otter-trumpet-42", "Zx9!kq2#Lm"]) {
      expect(isCommonPassword(p), p).toBe(false);
    }
  });
});

describe("session refs", () => {
  it("are stable, short and not the stored id", () => {
    const id = "a".repeat(64);
    expect(sessionRef(id)).toBe(sessionRef(id));
    expect(sessionRef(id)).toHaveLength(32);
    expect(id).not.toContain(sessionRef(id));
  });
});
