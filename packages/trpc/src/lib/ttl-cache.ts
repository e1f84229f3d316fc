/**
 * A small in-process cache: entries expire (a TTL, or an expiry given per entry) and the number kept is capped
 * (past the cap, the entry written longest ago goes). Entries are kept per owner, a database handle, so two
 * databases in one process (tests) never see each other's entries, and a dropped handle drops its entries.
 *
 * The plumbing's hot-path guesses and counters use it (tenancy/known-tenants, budget/leases, budget/spent-windows):
 * each is only ever a hint that the database confirms, or a bound that errs on the side of refusing.
 */
export interface TtlCacheOptions {
  /** Lifetime of an entry written without its own expiry. */
  ttlMs: number;
  /** Entries kept per owner. */
  cap: number;
}

interface Entry<V> {
  value: V;
  /** ms since epoch. */
  expiresAt: number;
}

export class TtlCache<V> {
  readonly #byOwner = new WeakMap<object, Map<string, Entry<V>>>();

  constructor(private readonly options: TtlCacheOptions) {}

  /** The live value, or undefined (an expired entry is dropped on the way). */
  get(owner: object, key: string): V | undefined {
    const entries = this.#byOwner.get(owner);
    const entry = entries?.get(key);
    if (!entry) return undefined;
    if (Date.now() < entry.expiresAt) return entry.value;
    entries!.delete(key);
    return undefined;
  }

  /** Writes `value` (as the newest entry) until `expiresAt`, by default `ttlMs` from now. */
  set(owner: object, key: string, value: V, expiresAt = Date.now() + this.options.ttlMs): void {
    let entries = this.#byOwner.get(owner);
    if (!entries) this.#byOwner.set(owner, (entries = new Map<string, Entry<V>>()));
    entries.delete(key);
    if (entries.size >= this.options.cap) entries.delete(entries.keys().next().value!);
    entries.set(key, { value, expiresAt });
  }

  delete(owner: object, key: string): void {
    this.#byOwner.get(owner)?.delete(key);
  }
}
