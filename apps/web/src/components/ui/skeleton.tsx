import { cn } from "./cn";

/** A grey placeholder with a fixed size, so content replaces it without moving the page. */
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cn("block animate-pulse rounded-md bg-slate-200/80", className)} />;
}

/** Placeholder rows for a table while it loads (same row height as the real rows). */
export function TableSkeleton({ rows = 5, columns = 4, label = "Loading…" }: { rows?: number; columns?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="divide-y divide-slate-100">
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex h-12 items-center gap-6 px-4">
          {Array.from({ length: columns }, (_, c) => (
            <Skeleton key={c} className={cn("h-3.5", c === 0 ? "w-40" : "w-24")} />
          ))}
        </div>
      ))}
    </div>
  );
}
