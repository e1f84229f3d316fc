import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 256 random bits, base64url: session cookies, hand-off tokens, invitation tokens. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Tokens are stored only as their SHA-256; a database leak yields nothing usable. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The id a session is shown under (auth.sessions, auth.revokeSession): derived from the stored id (itself the
 * token's hash) but not usable to look a session up by, so listing sessions never hands out credential keys.
 * `sessionRefSql` computes the same value in PostgreSQL.
 */
export function sessionRef(sessionId: string): string {
  return hashToken(`session:${sessionId}`).slice(0, 32);
}
