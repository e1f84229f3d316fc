/**
 * Unread markers, kept in this browser only: when the user last opened each conversation, and since when the
 * inbox has been watched at all (so a first visit does not mark the whole history unread). A conversation is
 * unread when its `lastMessageAt` is later than both. Stored per tenant and user in localStorage, capped.
 */
import { useQuery } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { currentHost } from "../../lib/host";
import { useTRPC } from "../../lib/trpc";

interface Seen {
  /** The first time this user watched this tenant's inbox in this browser. */
  since: string;
  /** Conversation id → when it was last opened (or its latest message seen while open). */
  opened: Record<string, string>;
}

const MAX_OPENED = 500;
const listeners = new Set<() => void>();
const cache = new Map<string, Seen>();

const storageKey = (scope: string) => `sb.inbox-seen.${scope}`;

function read(scope: string): Seen {
  const hit = cache.get(scope);
  if (hit) return hit;
  let seen: Seen | null = null;
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(storageKey(scope)) ?? "null");
    if (raw && typeof raw === "object" && "since" in raw && typeof raw.since === "string" && "opened" in raw && typeof raw.opened === "object" && raw.opened) {
      seen = { since: raw.since, opened: raw.opened as Record<string, string> };
    }
  } catch {
    // A damaged entry starts afresh.
  }
  if (!seen) {
    seen = { since: new Date().toISOString(), opened: {} };
    // Read during render (the store's snapshot): stored, but nobody is told, since nothing they show changed.
    persist(scope, seen);
  }
  cache.set(scope, seen);
  return seen;
}

function persist(scope: string, seen: Seen) {
  cache.set(scope, seen);
  try {
    localStorage.setItem(storageKey(scope), JSON.stringify(seen));
  } catch {
    // Storage full or disabled: markers then last for this page only.
  }
}

function write(scope: string, seen: Seen) {
  persist(scope, seen);
  for (const l of listeners) l();
}

/** Records that the conversation was seen up to `at` (now, or a later message time when the clocks differ). */
export function markOpened(scope: string, id: string, at: string = new Date().toISOString()) {
  const seen = read(scope);
  const previous = seen.opened[id];
  if (previous && previous >= at) return;
  const entries = Object.entries({ ...seen.opened, [id]: at })
    .sort((a, b) => (a[1] < b[1] ? 1 : -1))
    .slice(0, MAX_OPENED);
  write(scope, { since: seen.since, opened: Object.fromEntries(entries) });
}

export function isUnread(seen: Seen, e: { id: string; lastMessageAt: string | null }): boolean {
  if (!e.lastMessageAt) return false;
  const opened = seen.opened[e.id];
  return e.lastMessageAt > (opened && opened > seen.since ? opened : seen.since);
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The markers of `scope` (tenant + user; null: not known yet, nothing unread), re-rendering when one changes. */
export function useInboxSeen(scope: string | null) {
  const seen = useSyncExternalStore(subscribe, () => (scope ? read(scope) : null));
  return { unread: useCallback((e: { id: string; lastMessageAt: string | null }) => seen !== null && isUnread(seen, e), [seen]) };
}

/** This tenant and signed-in user, the markers' scope; null until the user is known. */
export function useSeenScope(): string | null {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const userId = me.data?.user.id;
  return userId && currentHost.tenantSlug ? `${currentHost.tenantSlug}.${userId}` : null;
}
