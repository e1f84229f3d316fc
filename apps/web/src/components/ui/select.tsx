import type { SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { cn } from "./cn";

/** A native select (keyboard, screen readers and mobile pickers for free), styled like Input. */
export function Select({ className, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select
      className={cn(
        // A width in className replaces the default full width (no class merging library in the bundle).
        /(^|\s)w-/.test(className ?? "") ? "" : "w-full",
        "block rounded-md border-0 bg-white py-2 pr-8 pl-3 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300",
        "focus:ring-2 focus:ring-inset focus:ring-brand focus:outline-none aria-invalid:ring-red-500 disabled:opacity-60",
        className,
      )}
      {...rest}
    />
  );
}

export function Textarea({ className, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <textarea
      className={cn(
        "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300",
        "placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand focus:outline-none aria-invalid:ring-red-500",
        className,
      )}
      {...rest}
    />
  );
}
