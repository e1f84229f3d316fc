/**
 * Live updates for the inbox: a `created` / `updated` event from engagements.onEvent folded into the pages the
 * list has loaded, so new conversations appear (and changed ones move) without a refetch.
 */
import type { InfiniteData } from "@tanstack/react-query";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";
import type { Channel, EngagementStatus } from "./engagement-meta";

/** What the cache reads of an engagement (a row of engagements.list). */
export type EngagementItem = Pick<RouterOutputs["engagements"]["list"]["items"][number], "id" | "channel" | "status" | "createdAt">;
/** One engagements.onEvent message: its `type` and the engagement as it is now. */
type EngagementEvent = RouterOutputs["engagements"]["onEvent"] extends AsyncIterable<{ data: infer E }> ? E : never;

export type EngagementFilters = Pick<Exclude<RouterInputs["engagements"]["list"], void | undefined>, "channel" | "status">;

/** The pages TanStack's infinite query holds: engagements.list's pages, with rows of type T. */
export type Pages<T, P = unknown> = InfiniteData<{ items: T[]; nextCursor: string | null }, P>;

export function matchesFilters(e: EngagementItem, f: EngagementFilters): boolean {
  return (!f.channel || e.channel === f.channel) && (!f.status || e.status === f.status);
}

/** Newest first, like engagements.list. */
const newerFirst = (a: EngagementItem, b: EngagementItem) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

export function applyEngagementEvent<T extends EngagementItem, P>(
  data: Pages<T, P> | undefined,
  event: { type: EngagementEvent["type"]; engagement: T },
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

/** The inbox's filter selects: a value, or "" for all. */
export interface EngagementSelects {
  channel: "" | Channel;
  status: "" | EngagementStatus;
}

/** engagements.list input for the inbox's filter selects (empty = all). */
export function engagementsQueryInput(f: EngagementSelects, limit = 25) {
  return {
    limit,
    ...(f.channel ? { channel: f.channel } : {}),
    ...(f.status ? { status: f.status } : {}),
  } satisfies RouterInputs["engagements"]["list"];
}
