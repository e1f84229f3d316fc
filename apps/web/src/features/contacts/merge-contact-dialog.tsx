import { useState } from "react";
import { Button, Spinner } from "../../components/ui/button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { Input } from "../../components/ui/input";
import { ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import type { RouterOutputs } from "../../lib/trpc";
import { contactName } from "./contact-name";

type Contact = RouterOutputs["contacts"]["list"]["items"][number];

/**
 * Merging a duplicate into the contact on screen (`into`), in two steps: pick the duplicate among the search
 * results (never `into` itself), then confirm what moves and what is deleted. `onMerge(id)` merges `id` into `into`.
 */
export function MergeContactDialog({
  open,
  onOpenChange,
  into,
  query,
  onQueryChange,
  candidates,
  searching,
  onMerge,
  pending,
  error,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  into: Contact;
  query: string;
  onQueryChange: (q: string) => void;
  candidates: readonly Contact[];
  searching: boolean;
  onMerge: (id: string) => void;
  pending: boolean;
  error: unknown;
}) {
  const [picked, setPicked] = useState<Contact | null>(null);
  const [confirming, setConfirming] = useState(false);
  const others = candidates.filter((c) => c.id !== into.id);
  const close = (o: boolean) => {
    if (!o) {
      setPicked(null);
      setConfirming(false);
    }
    onOpenChange(o);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={confirming && picked ? "Merge these contacts?" : `Merge a duplicate into ${contactName(into)}`}
      description={
        confirming && picked
          ? `${contactName(picked)}'s conversations, calls, leads and handles move to ${contactName(into)}, and ${contactName(picked)} is deleted. This cannot be undone.`
          : "Find the other record of the same customer."
      }
      wide
    >
      {error ? <ErrorState title="Could not merge" message={errorMessage(error)} /> : null}
      {confirming && picked ? (
        <div className="space-y-4">
          <dl className="grid gap-3 text-sm sm:grid-cols-2">
            <div className="rounded-lg bg-red-50 p-3 ring-1 ring-red-200 ring-inset">
              <dt className="text-xs font-medium text-red-800">Deleted after the move</dt>
              <dd className="mt-1 font-medium text-slate-900">{contactName(picked)}</dd>
              <dd className="text-slate-700">{[picked.email, picked.phone].filter(Boolean).join(" · ")}</dd>
            </div>
            <div className="rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200 ring-inset">
              <dt className="text-xs font-medium text-emerald-800">Kept, with everything of both</dt>
              <dd className="mt-1 font-medium text-slate-900">{contactName(into)}</dd>
              <dd className="text-slate-700">{[into.email, into.phone].filter(Boolean).join(" · ")}</dd>
            </div>
          </dl>
          <DialogActions>
            <Button variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
              Back
            </Button>
            <Button variant="danger" pending={pending} onClick={() => onMerge(picked.id)}>
              Merge contacts
            </Button>
          </DialogActions>
        </div>
      ) : (
        <div className="space-y-4">
          <div className="space-y-1.5">
            <label htmlFor="merge-search" className="block text-sm font-medium text-slate-800">
              Search contacts
            </label>
            <Input id="merge-search" type="search" value={query} onChange={(e) => onQueryChange(e.target.value)} placeholder="Name, e-mail or phone" autoComplete="off" />
          </div>
          <fieldset>
            <legend className="sr-only">Duplicate to merge</legend>
            {searching ? (
              <p role="status" className="flex items-center gap-2 py-4 text-sm text-slate-600">
                <Spinner className="text-brand" /> Searching…
              </p>
            ) : others.length === 0 ? (
              <p className="py-4 text-sm text-slate-600">No other contact matches.</p>
            ) : (
              <ul className="max-h-72 divide-y divide-slate-100 overflow-y-auto rounded-lg ring-1 ring-slate-200">
                {others.map((c) => (
                  <li key={c.id}>
                    <label className="flex cursor-pointer items-center gap-3 px-3 py-2.5 hover:bg-slate-50">
                      <input
                        type="radio"
                        name="merge-candidate"
                        checked={picked?.id === c.id}
                        onChange={() => setPicked(c)}
                        className="size-4 accent-brand"
                      />
                      <span className="min-w-0">
                        <span className="block truncate text-sm font-medium text-slate-900">{contactName(c)}</span>
                        <span className="block truncate text-xs text-slate-600">{[c.email, c.phone].filter(Boolean).join(" · ") || "No e-mail or phone"}</span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
          <DialogActions>
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button disabled={!picked || !others.some((c) => c.id === picked.id)} onClick={() => setConfirming(true)}>
              Review merge
            </Button>
          </DialogActions>
        </div>
      )}
    </Dialog>
  );
}
