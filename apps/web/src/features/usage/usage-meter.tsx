import { useId } from "react";
import { cn } from "../../components/ui/cn";

export type UsageLevel = "ok" | "near" | "full";

/** Full at the limit, near from 80 % of it; no limit (null) is never near. */
export function usageLevel(used: number, limit: number | null): UsageLevel {
  if (limit === null) return "ok";
  if (used >= limit) return "full";
  return used >= limit * 0.8 ? "near" : "ok";
}

const bar: Record<UsageLevel, string> = { ok: "bg-brand", near: "bg-amber-500", full: "bg-red-600" };
const note: Record<UsageLevel, string> = { ok: "", near: "Close to the limit", full: "At the limit" };

/**
 * One limit against its use: the numbers in words (what a screen reader says) and a bar drawn for the eye. The bar is
 * a `meter` with the same numbers, so assistive technology that reads meters gets them too.
 */
export function UsageMeter({ label, used, limit, unit, detail }: { label: string; used: number; limit: number | null; unit: string; detail?: string }) {
  const id = useId();
  const level = usageLevel(used, limit);
  const share = limit === null || limit === 0 ? (used > 0 ? 1 : 0) : Math.min(used / limit, 1);
  return (
    <div data-usage={label} data-level={level} className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 id={id} className="text-sm font-semibold text-slate-900">
          {label}
        </h2>
        <p className="text-sm text-slate-700 tabular-nums">
          <span className="text-lg font-semibold text-slate-900">{used}</span> {limit === null ? `${unit}, no limit` : `of ${limit} ${unit}`}
        </p>
      </div>
      <div
        role="meter"
        aria-labelledby={id}
        aria-valuemin={0}
        aria-valuemax={limit ?? Math.max(used, 1)}
        aria-valuenow={used}
        aria-valuetext={limit === null ? `${used} ${unit}` : `${used} of ${limit} ${unit}`}
        className="h-2.5 overflow-hidden rounded-full bg-slate-200"
      >
        <div className={cn("h-full rounded-full transition-[width]", bar[level])} style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      {(detail || level !== "ok") && (
        <p className={cn("text-xs", level === "full" ? "text-red-700" : level === "near" ? "text-amber-800" : "text-slate-600")}>
          {[note[level], detail].filter(Boolean).join(" · ")}
        </p>
      )}
    </div>
  );
}
