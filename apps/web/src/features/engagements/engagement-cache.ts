/**
 * Live updates for the inbox: a `created` / `updated` event from engagements.onEvent folded into the pages the
 * list has loaded, so new conversations appear (and changed ones move) without a refetch.
 */
export interface EngagementItem {
  id: string;
  channel: string;
  status: string;
  createdAt: string;
}

export interface EngagementFilters {
  channel?: string | undefined;
  status?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Pages<T, P = unknown> {
  pages: Page<T>[];
  pageParams: P[];
}

export function matchesFilters(e: EngagementItem, f: EngagementFilters): boolean {
  return (!f.channel || e.channel === f.channel) && (!f.status || e.status === f.status);
}

/** Newest first, like engagements.list. */
const newerFirst = (a: EngagementItem, b: EngagementItem) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

export function applyEngagementEvent<T extends EngagementItem, P>(
  data: Pages<T, P> | undefined,
  event: { type: "created" | "updated"; engagement: T },
  filters: EngagementFilters,
): Pages<T, P> | undefined {
  if (!data || data.pages.length === 0) return data;
  const e = event.engagement;
  const present = data.pages.some((p) => p.items.some((i) => i.id === e.id));
  const matches = matchesFilters(e, filters);

  if (present) {
    // Replace in place, or drop it when it no longer fits the filters (e.g. resolved while viewing "open").
    return {
      ...data,
      pages: data.pages.map((p) => ({
        ...p,
        items: matches ? p.items.map((i) => (i.id === e.id ? e : i)) : p.items.filter((i) => i.id !== e.id),
      })),
    };
  }
  if (!matches) return data;

  // Insert only within the loaded window: older rows arrive with "Load more" in their turn.
  const hasMore = data.pages.at(-1)!.nextCursor !== null;
  const at = data.pages.findIndex((p) => p.items.length === 0 || e.createdAt >= p.items.at(-1)!.createdAt);
  if (at === -1 && hasMore) return data;
  const target = at === -1 ? data.pages.length - 1 : at;
  return {
    ...data,
    pages: data.pages.map((p, i) => (i === target ? { ...p, items: [...p.items, e].sort(newerFirst) } : p)),
  };
}

/** engagements.list input for the inbox's filter selects (empty = all). */
export function engagementsQueryInput(f: { channel: string; status: string }, limit = 25) {
  return {
    limit,
    ...(f.channel ? { channel: f.channel as "whatsapp" } : {}),
    ...(f.status ? { status: f.status as "new" } : {}),
  };
}
