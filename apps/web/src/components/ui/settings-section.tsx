import type { ReactNode } from "react";
import { Card } from "./card";

/** A settings-style section: its title and what it is for on the left (above on narrow screens), its form in a card. */
export function SettingsSection({ title, description, children, id }: { title: string; description: ReactNode; children: ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="grid gap-4 border-b border-slate-200 pb-10 lg:grid-cols-[16rem_1fr]">
      <div>
        <h2 id={id} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{description}</p>
      </div>
      <Card className="min-w-0">{children}</Card>
    </section>
  );
}
