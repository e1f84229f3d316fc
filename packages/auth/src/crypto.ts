/**
 * Secrets at rest that must be read back (TOTP secrets): AES-256-GCM under ENCRYPTION_KEY. A sealed value is
 * `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts): `v1` names the format (AES-256-GCM, 96-bit IV, 128-bit
 * tag), the key id (first 8 hex of the key's SHA-256) picks the key that opens it, so keys can be rotated: the
 * first key seals, every listed key opens. The caller's `context` (e.g. `mfa:<user id>`) is bound as additional
 * data: a sealed value copied into another row or purpose does not open.
 *
 * The same keys also sign (HMAC-SHA256 under a key derived per purpose with HKDF, so a signature of one purpose
 * is worthless for another): links that must be checkable without being stored, such as a CSAT survey's.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

export interface SecretBox {
  seal(plain: string, context: string): string;
  /** The plain text; throws when the value is malformed, tampered with, or sealed under an unknown key. */
  open(sealed: string, context: string): string;
  /** A MAC of `data` for `context` under the first key (base64url, 43 characters); the same input signs the same. */
  sign(data: string, context: string): string;
  /** Whether `mac` is `sign(data, context)` under any configured key (constant-time comparison). */
  verify(data: string, context: string, mac: string): boolean;
}

const format = "v1";

/** One 32-byte key from 64 hex digits or base64/base64url; throws with a message naming the problem. */
export function parseEncryptionKey(value: string): Buffer {
  const v = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, "hex") : Buffer.from(v, "base64url");
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(v) && !/^[A-Za-z0-9+/_-]{43}=?$/.test(v))) {
    throw new Error("must be 32 random bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)");
  }
  return key;
}

/** A fresh key in the form parseEncryptionKey reads (base64url). */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString("base64url");
}

const keyId = (key: Uint8Array) => createHash("sha256").update(key).digest("hex").slice(0, 8);

/** `keys[0]` seals; every key opens what it sealed. */
export function createSecretBox(keys: readonly Uint8Array[]): SecretBox {
  if (keys.length === 0 || keys.some((k) => k.length !== 32)) throw new Error("createSecretBox needs 32-byte keys");
  const byId = new Map(keys.map((k) => [keyId(k), k]));
  const current = keys[0]!;
  const currentId = keyId(current);
  const mac = (key: Uint8Array, data: string, context: string) => {
    const derived = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), `switchboard mac:${context}`, 32));
    return createHmac("sha256", derived).update(data, "utf8").digest();
  };
  return {
    sign(data, context) {
      return mac(current, data, context).toString("base64url");
    },
    verify(data, context, given) {
      const g = Buffer.from(given, "base64url");
      if (g.length !== 32 || g.toString("base64url") !== given) return false;
      return keys.some((k) => timingSafeEqual(mac(k, data, context), g));
    },
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current, iv);
      cipher.setAAD(Buffer.from(context));
      const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString("base64url"));
      return [format, currentId, ...parts].join(".");
    },
    open(sealed, context) {
      const [version, id, iv, ciphertext, tag, ...rest] = sealed.split(".");
      if (version !== format || !id || iv === undefined || ciphertext === undefined || tag === undefined || rest.length) {
        throw new Error("not a sealed secret");
      }
      const key = byId.get(id);
      if (!key) throw new Error("sealed under a key that is not configured");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}
