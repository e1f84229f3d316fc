import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { cn } from "../../components/ui/cn";
import { Input } from "../../components/ui/input";
import { Select } from "../../components/ui/select";
import type { RouterOutputs } from "../../lib/trpc";
import { type InboxFilters, type InboxView, inboxViews } from "./engagement-cache";
import { EnumOptions } from "./enum-options";
import { type Channel, channelLabel, channels, type EngagementStatus, statuses } from "./engagement-meta";

type Label = Pick<RouterOutputs["labels"]["list"]["items"][number], "id" | "name">;

const viewLabel: Record<InboxView, string> = { mine: "Mine", unassigned: "Unassigned", all: "All" };

/** The inbox's view (mine / unassigned / all), channel, status and label filters and its search box. */
export function InboxFilterBar({ value, onChange, labels }: { value: InboxFilters; onChange: (f: InboxFilters) => void; labels: readonly Label[] }) {
  const [q, setQ] = useState(value.q);
  function search(e: FormEvent) {
    e.preventDefault();
    onChange({ ...value, q: q.trim() });
  }
  return (
    <div className="mb-4 space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="group" aria-label="View" className="inline-flex rounded-lg bg-slate-100 p-1">
          {inboxViews.map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={value.view === v}
              onClick={() => onChange({ ...value, view: v })}
              className={cn(
                "rounded-md px-3 py-1.5 text-sm font-medium",
                value.view === v ? "bg-white text-slate-900 shadow-sm" : "text-slate-700 hover:text-slate-900",
              )}
            >
              {viewLabel[v]}
            </button>
          ))}
        </div>
        <form role="search" aria-label="Search conversations" onSubmit={search} className="flex w-full gap-2 sm:w-auto">
          <label htmlFor="inbox-search" className="sr-only">
            Search conversations
          </label>
          <Input
            id="inbox-search"
            type="search"
            className="sm:w-64"
            placeholder="Search subject and messages"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              // Clearing the box shows everything again without another Enter.
              if (!e.target.value && value.q) onChange({ ...value, q: "" });
            }}
          />
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </form>
      </div>
      <div className="flex flex-wrap gap-3" role="group" aria-label="Filters">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Channel
          <Select className="w-40" value={value.channel} onChange={(e) => onChange({ ...value, channel: e.target.value as Channel | "" })}>
            <option value="">All channels</option>
            <EnumOptions values={channels} label={(c) => channelLabel[c]} />
          </Select>
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Status
          <Select className="w-36" value={value.status} onChange={(e) => onChange({ ...value, status: e.target.value as EngagementStatus | "" })}>
            <option value="">All statuses</option>
            <EnumOptions values={statuses} />
          </Select>
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Label
          <Select className="w-40" value={value.labelId} onChange={(e) => onChange({ ...value, labelId: e.target.value })}>
            <option value="">All labels</option>
            {labels.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </Select>
        </label>
      </div>
    </div>
  );
}
