import { useEffect, useState } from "react";
import { Button } from "./button";

/** Copies `value` to the clipboard and says so for a moment (announced to screen readers). */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <Button
      variant="secondary"
      onClick={() => {
        navigator.clipboard
          ?.writeText(value)
          .then(() => setState("copied"))
          .catch(() => setState("failed"));
      }}
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}</span>
    </Button>
  );
}

/** A secret or link in a monospace box with its copy button; a long one wraps (a narrow screen shows all of it, no scrolling). */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <div className="flex items-stretch gap-2">
      <code
        aria-label={label}
        data-testid={testId}
        className="min-w-0 flex-1 rounded-md bg-slate-900 px-3 py-2 font-mono text-sm break-all text-slate-100"
      >
        {value}
      </code>
      <CopyButton value={value} label="Copy" />
    </div>
  );
}
