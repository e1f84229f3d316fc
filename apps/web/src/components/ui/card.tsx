import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

export function Card({ className, ...rest }: HTMLAttributes<HTMLDivElement>) {
  // A padding in className replaces the default one (no class merging library in the bundle).
  const padded = /(^|\s)p-/.test(className ?? "");
  return <div className={cn("rounded-xl bg-white shadow-sm ring-1 ring-slate-200", !padded && "p-6", className)} {...rest} />;
}

export function CardTitle({ children, description }: { children: ReactNode; description?: ReactNode }) {
  return (
    <div className="mb-5">
      <h2 className="text-lg font-semibold text-slate-900">{children}</h2>
      {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
    </div>
  );
}
