import type { ReactNode } from "react";
import { errorMessage } from "../../lib/errors";
import { Button } from "./button";
import { TableSkeleton } from "./skeleton";
import { Empty, ErrorState } from "./states";

interface ListQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * A table's loading, error and empty states inside a card, then the table itself. The skeleton has the
 * table's shape so nothing jumps when rows arrive.
 */
export function ListStates(props: {
  query: ListQuery;
  isEmpty: boolean;
  skeleton: { rows?: number; columns: number; label: string };
  errorTitle: string;
  empty: ReactNode;
  children: ReactNode;
}) {
  const { query, skeleton } = props;
  if (query.isPending) return <TableSkeleton {...skeleton} />;
  if (query.isError) {
    return (
      <div className="p-4">
        <ErrorState title={props.errorTitle} message={errorMessage(query.error)} onRetry={() => void query.refetch()} />
      </div>
    );
  }
  if (props.isEmpty) {
    return (
      <div className="p-4">
        <Empty>{props.empty}</Empty>
      </div>
    );
  }
  return <>{props.children}</>;
}

/** "Load more" under a cursor-paginated list; keeps its height when there is nothing more to load. */
export function LoadMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  return (
    <div className="mt-4 flex h-10 items-center justify-center">
      {query.hasNextPage && (
        <Button variant="secondary" pending={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          Load more
        </Button>
      )}
    </div>
  );
}
