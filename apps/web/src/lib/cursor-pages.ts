/**
 * Cursor pagination for TanStack's useInfiniteQuery. tRPC's own `infiniteQueryOptions` adds a `direction` key to
 * the input, which the API's strict inputs refuse ("Unrecognized key"), so pages are fetched here with exactly
 * `{ ...input, cursor }`. The query key is tRPC's infinite key, so `infiniteQueryKey()` invalidation works as usual.
 */
import type { QueryKey } from "@tanstack/react-query";

export interface CursorPage {
  nextCursor: string | null;
}

export function cursorPages<I extends object, P extends CursorPage>(
  queryKey: QueryKey,
  input: I,
  fetchPage: (input: I & { cursor?: string }) => Promise<P>,
) {
  return {
    queryKey,
    queryFn: ({ pageParam }: { pageParam: string | undefined }) => fetchPage(pageParam ? { ...input, cursor: pageParam } : input),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: P) => last.nextCursor ?? undefined,
  };
}
