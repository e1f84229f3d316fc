import { Button } from "./button";
import { cn } from "./cn";

/** A form's submit button with the "Saved" confirmation announced to screen readers. */
export function SaveRow({ label, pending, saved, className }: { label: string; pending: boolean; saved: boolean; className?: string }) {
  return (
    <div className={cn("flex items-center gap-3", className)}>
      <Button type="submit" pending={pending}>
        {label}
      </Button>
      {saved && !pending && (
        <span role="status" className="text-sm text-emerald-700">
          Saved
        </span>
      )}
    </div>
  );
}
