/**
 * Endpoint secrets opened once a minute instead of once per delivery: `open` (AES-256-GCM under ENCRYPTION_KEY)
 * is part of every attempt's CPU, and a busy endpoint is sent to many times a second (bench/dispatcher-cpu.ts).
 * Keyed by the sealed value and its context, so a new secret (a new sealed value) is never answered from the cache;
 * an entry lives `ttlMs` and the whole cache is dropped past `maxEntries` (plain secrets stay in memory no longer).
 */
export interface SecretOpener {
  open(sealed: string, context: string): string;
}

export function openedSecrets(secrets: SecretOpener, ttlMs = 60_000, maxEntries = 10_000): SecretOpener {
  const cache = new Map<string, { secret: string; until: number }>();
  return {
    open(sealed, context) {
      const key = `${context}\n${sealed}`;
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && hit.until > now) return hit.secret;
      const secret = secrets.open(sealed, context); // throws: nothing cached
      if (cache.size >= maxEntries) cache.clear();
      cache.set(key, { secret, until: now + ttlMs });
      return secret;
    },
  };
}
