import type { InputHTMLAttributes } from "react";
import { cn } from "./cn";

export function Input({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return (
    <input
      className={cn(
        "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300",
        "placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand focus:outline-none",
        "aria-invalid:ring-red-500",
        className,
      )}
      {...rest}
    />
  );
}
