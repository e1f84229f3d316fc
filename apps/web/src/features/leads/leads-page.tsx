import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Badge, type BadgeTone } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { Skeleton } from "../../components/ui/skeleton";
import { ErrorState } from "../../components/ui/states";
import { enumValues } from "../../lib/enums";
import { errorMessage, formErrors } from "../../lib/errors";
import { formatRelative } from "../../lib/format";
import { usePermissions } from "../../lib/roles";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";

type LeadStatus = RouterOutputs["leads"]["get"]["status"];
const tone: Record<LeadStatus, BadgeTone> = { new: "info", contacted: "neutral", qualified: "brand", converted: "good", lost: "bad" };
const leadStatuses = enumValues(tone);
const label = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Leads as a board: one column per status; moving a lead is a status change. */
export function LeadsPage() {
  const perms = usePermissions();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.leads.list.queryKey() });
  const move = useMutation(trpc.leads.update.mutationOptions({ onSettled: refresh }));
  return (
    <div>
      <PageHeader
        title="Leads"
        description="Prospects captured by calls and conversations, from first contact to conversion."
        actions={perms.canWrite && <Button onClick={() => setAdding(true)}>Add lead</Button>}
      />
      {move.isError && (
        <div className="mb-4">
          <ErrorState title="Could not move the lead" message={errorMessage(move.error)} />
        </div>
      )}
      {/* The scrolling boxes take keyboard focus, so they scroll without a mouse (read-only boards too). */}
      <div className="grid auto-cols-[minmax(13.5rem,1fr)] grid-flow-col gap-4 overflow-x-auto pb-4" role="list" aria-label="Lead board" tabIndex={0}>
        {leadStatuses.map((status) => (
          <Column key={status} status={status} canWrite={perms.canWrite} onMove={(id, to) => move.mutate({ id, status: to })} />
        ))}
      </div>
      {adding && <AddLeadDialog onClose={() => setAdding(false)} onAdded={refresh} />}
    </div>
  );
}

function Column({ status, canWrite, onMove }: { status: LeadStatus; canWrite: boolean; onMove: (id: string, to: LeadStatus) => void }) {
  const trpc = useTRPC();
  const leads = useQuery(trpc.leads.list.queryOptions({ status, limit: 50 }));
  const items = leads.data?.items ?? [];
  return (
    <section role="listitem" aria-label={`${label(status)} leads`} className="flex min-h-64 flex-col rounded-xl bg-slate-100/70 p-3 ring-1 ring-slate-200">
      <h2 className="mb-3 flex items-center justify-between px-1 text-sm font-semibold text-slate-700">
        <span className="flex items-center gap-2">
          <Badge tone={tone[status]}>{label(status)}</Badge>
        </span>
        <span className="text-xs font-medium text-slate-600 tabular-nums">
          {leads.data ? `${items.length}${leads.data.nextCursor ? "+" : ""}` : ""}
        </span>
      </h2>
      {leads.isPending ? (
        <div className="space-y-2">
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-20 w-full" />
        </div>
      ) : leads.isError ? (
        <ErrorState title="Could not load" message={errorMessage(leads.error)} onRetry={() => void leads.refetch()} />
      ) : items.length === 0 ? (
        <p className="px-1 py-6 text-center text-xs text-slate-600">No leads</p>
      ) : (
        <ul className="-mr-1 max-h-[calc(100vh-16rem)] min-h-0 space-y-2 overflow-y-auto pr-1" aria-label={`${label(status)} leads`} tabIndex={0}>
          {items.map((l) => (
            <li key={l.id} className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
              <p className="truncate text-sm font-medium text-slate-900">{l.name}</p>
              <p className="truncate text-xs text-slate-500">{l.email ?? l.phone ?? "No contact details"}</p>
              <div className="mt-2 flex items-center justify-between gap-2">
                <span className="truncate text-xs text-slate-500">
                  {l.source ? `${l.source} · ` : ""}
                  {formatRelative(l.createdAt)}
                </span>
                {canWrite && (
                  <Select
                    aria-label={`Move ${l.name}`}
                    className="w-32 shrink-0 py-1 text-xs"
                    value={l.status}
                    onChange={(e) => onMove(l.id, e.target.value as LeadStatus)}
                  >
                    {leadStatuses.map((s) => (
                      <option key={s} value={s}>
                        {label(s)}
                      </option>
                    ))}
                  </Select>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AddLeadDialog({ onClose, onAdded }: { onClose: () => void; onAdded: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [v, setV] = useState({ name: "", email: "", phone: "", source: "" });
  const create = useMutation(
    trpc.leads.create.mutationOptions({
      onSuccess: async () => {
        await onAdded();
        onClose();
      },
    }),
  );
  const errors = formErrors(create.error, ["name", "email", "phone", "source"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    const opt = (s: string) => (s.trim() ? s.trim() : undefined);
    const email = opt(v.email);
    const phone = opt(v.phone);
    const source = opt(v.source);
    create.mutate({ name: v.name, ...(email ? { email } : {}), ...(phone ? { phone } : {}), ...(source ? { source } : {}) });
  }
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title="Add a lead">
      <form onSubmit={submit} noValidate aria-label="Add lead" className="space-y-4">
        <FormError message={errors.form} />
        <Field label="Name" error={errors.fields.name}>
          <Input value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Email" error={errors.fields.email}>
            <Input type="email" value={v.email} onChange={(e) => setV({ ...v, email: e.target.value })} />
          </Field>
          <Field label="Phone" error={errors.fields.phone}>
            <Input type="tel" value={v.phone} onChange={(e) => setV({ ...v, phone: e.target.value })} />
          </Field>
        </div>
        <Field label="Source" error={errors.fields.source} hint="Where they came from, e.g. “webinar”.">
          <Input value={v.source} onChange={(e) => setV({ ...v, source: e.target.value })} />
        </Field>
        <DialogActions>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" pending={create.isPending}>
            Add lead
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
