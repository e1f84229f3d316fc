/**
 * Live updates for the inbox: engagements.onEvent folded into the pages the list has loaded, so new
 * conversations appear, changed ones move or leave the view, and a new message freshens its row's
 * `lastMessageAt` (which drives the unread marker) without a refetch.
 */
import type { InfiniteData } from "@tanstack/react-query";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";
import type { Channel, EngagementStatus } from "./engagement-meta";

type ListItem = RouterOutputs["engagements"]["list"]["items"][number];
/** What the cache reads of an engagement (a row of engagements.list). */
type EngagementItem = Pick<ListItem, "id" | "channel" | "status" | "createdAt" | "assignedUserId" | "labelIds" | "lastMessageAt">;

/** The pages TanStack's infinite query holds: engagements.list's pages, with rows of type T. */
export type Pages<T, P = unknown> = InfiniteData<{ items: T[]; nextCursor: string | null }, P>;

export const inboxViews = ["mine", "unassigned", "all"] as const;
export type InboxView = (typeof inboxViews)[number];

/** The inbox's filters as the screen holds them: a value, or "" for all. */
export interface InboxFilters {
  view: InboxView;
  channel: "" | Channel;
  status: "" | EngagementStatus;
  labelId: string;
  q: string;
}

export const noFilters: InboxFilters = { view: "all", channel: "", status: "", labelId: "", q: "" };

const assigneeOf: Record<InboxView, "me" | "none" | undefined> = { mine: "me", unassigned: "none", all: undefined };

/** engagements.list input for the inbox's filters: only what is chosen. */
export function inboxQueryInput(f: InboxFilters, limit = 25) {
  const assignedUserId = assigneeOf[f.view];
  const q = f.q.trim();
  return {
    limit,
    ...(assignedUserId ? { assignedUserId } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.labelId ? { labelId: f.labelId } : {}),
    ...(q ? { q } : {}),
  } satisfies RouterInputs["engagements"]["list"];
}

/**
 * Whether an engagement belongs in the view: true / false, or null when only the server can tell (a search).
 * `me` is the signed-in user's id.
 */
export function matchesFilters(e: EngagementItem, f: InboxFilters, me: string | null): boolean | null {
  if (f.channel && e.channel !== f.channel) return false;
  if (f.status && e.status !== f.status) return false;
  if (f.view === "mine" && (me === null || e.assignedUserId !== me)) return false;
  if (f.view === "unassigned" && e.assignedUserId !== null) return false;
  if (f.labelId && !e.labelIds.includes(f.labelId)) return false;
  return f.q.trim() ? null : true;
}

/** Newest first, like engagements.list. */
const newerFirst = (a: EngagementItem, b: EngagementItem) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

function mapItems<T, P>(data: Pages<T, P>, f: (items: T[]) => T[]): Pages<T, P> {
  return { ...data, pages: data.pages.map((p) => ({ ...p, items: f(p.items) })) };
}

/** A `created` or `updated` engagement folded into the loaded pages. */
export function applyEngagementChange<T extends EngagementItem, P>(
  data: Pages<T, P> | undefined,
  e: T,
  filters: InboxFilters,
  me: string | null,
): Pages<T, P> | undefined {
  if (!data || data.pages.length === 0) return data;
  const present = data.pages.some((p) => p.items.some((i) => i.id === e.id));
  const matches = matchesFilters(e, filters, me);

  if (present) {
    // Replace in place (a search cannot be re-checked here: the row stays), or drop it when it no longer fits
    // the view (resolved while viewing "open", assigned to someone else while viewing "unassigned").
    return mapItems(data, (items) => (matches === false ? items.filter((i) => i.id !== e.id) : items.map((i) => (i.id === e.id ? e : i))));
  }
  if (matches !== true) return data;

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

/** A new message: its engagement's row gets the message's time as `lastMessageAt` (the unread marker follows). */
export function applyMessageTime<T extends EngagementItem, P>(data: Pages<T, P> | undefined, engagementId: string, at: string): Pages<T, P> | undefined {
  if (!data) return data;
  return mapItems(data, (items) =>
    items.map((i) => (i.id === engagementId && (i.lastMessageAt === null || i.lastMessageAt < at) ? { ...i, lastMessageAt: at } : i)),
  );
}
