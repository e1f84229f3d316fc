import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TtlCache } from "./ttl-cache";

describe("TtlCache", () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") }));
  afterEach(() => vi.useRealTimers());

  it("returns an entry until its TTL ends, then forgets it", () => {
    const cache = new TtlCache<string>({ ttlMs: 1000, cap: 10 });
    const owner = {};
    cache.set(owner, "a", "A");
    vi.advanceTimersByTime(999);
    expect(cache.get(owner, "a")).toBe("A");
    vi.advanceTimersByTime(1);
    expect(cache.get(owner, "a")).toBeUndefined();
  });

  it("honours an expiry given per entry", () => {
    const cache = new TtlCache<number>({ ttlMs: 60_000, cap: 10 });
    const owner = {};
    cache.set(owner, "a", 1, Date.now() + 10);
    vi.advanceTimersByTime(10);
    expect(cache.get(owner, "a")).toBeUndefined();
  });

  it("keeps at most `cap` entries per owner, dropping the one written longest ago", () => {
    const cache = new TtlCache<number>({ ttlMs: 60_000, cap: 2 });
    const owner = {};
    cache.set(owner, "a", 1);
    cache.set(owner, "b", 2);
    cache.set(owner, "a", 3); // rewritten: now the newest
    cache.set(owner, "c", 4);
    expect(cache.get(owner, "b")).toBeUndefined();
    expect(cache.get(owner, "a")).toBe(3);
    expect(cache.get(owner, "c")).toBe(4);
  });

  it("keeps owners apart, and deletes", () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, cap: 10 });
    const one = {};
    const two = {};
    cache.set(one, "a", "one");
    expect(cache.get(two, "a")).toBeUndefined();
    cache.set(two, "a", "two");
    cache.delete(one, "a");
    expect(cache.get(one, "a")).toBeUndefined();
    expect(cache.get(two, "a")).toBe("two");
  });

  it("returns the stored object itself, so a holder may update it in place", () => {
    const cache = new TtlCache<{ n: number }>({ ttlMs: 60_000, cap: 10 });
    const owner = {};
    cache.set(owner, "a", { n: 2 });
    cache.get(owner, "a")!.n--;
    expect(cache.get(owner, "a")).toEqual({ n: 1 });
  });
});
