import { type ReactNode, useId } from "react";
import { cn } from "./cn";

export interface CheckboxOption<V extends string> {
  value: V;
  label: ReactNode;
  hint?: ReactNode;
}

/** A set of choices as checkboxes under a legend, with the group's error message wired for assistive technology. */
export function CheckboxGroup<V extends string>({
  legend,
  options,
  selected,
  onChange,
  error,
  inline = false,
}: {
  legend: string;
  options: readonly CheckboxOption<V>[];
  selected: ReadonlySet<V>;
  onChange: (next: ReadonlySet<V>) => void;
  error?: string | null | undefined;
  /** Short labels side by side (wrapping) instead of one per line. */
  inline?: boolean;
}) {
  const errorId = useId();
  function toggle(value: V, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(value);
    else next.delete(value);
    onChange(next);
  }
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <ul className={cn("mt-2", inline ? "flex flex-wrap gap-x-5 gap-y-2" : "space-y-1.5")}>
        {options.map((o) => (
          <li key={o.value}>
            <label className="flex items-start gap-2.5 text-sm text-slate-800">
              <input
                type="checkbox"
                className="mt-0.5 size-4 rounded border-slate-300 accent-[var(--brand)]"
                checked={selected.has(o.value)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <span>
                {o.label}
                {o.hint && <span className="block text-xs text-slate-600">{o.hint}</span>}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {error && (
        <p id={errorId} role="alert" className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  );
}
