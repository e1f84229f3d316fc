import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Dialog, DialogFormActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { LoadMore } from "../../components/ui/list-states";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { cursorPages } from "../../lib/cursor-pages";
import { errorMessage, formErrors } from "../../lib/errors";
import { type RouterOutputs, useTRPC, useTRPCClient } from "../../lib/trpc";
import { ConfirmDeleteDialog } from "./confirm-delete-dialog";

type Label = RouterOutputs["labels"]["list"]["items"][number];
type Editing = { mode: "create" } | { mode: "edit"; label: Label } | null;

const listInput = { limit: 100 };

/** Labels put on conversations (inbox filter, conversation view): everyone reads them, admins manage them. */
export function LabelsSettings({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const labels = useInfiniteQuery(cursorPages(trpc.labels.list.infiniteQueryKey(listInput), listInput, (i) => client.labels.list.query(i)));
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Label | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.labels.list.pathKey() });
  const create = useMutation(trpc.labels.create.mutationOptions({ onSuccess: async () => (await refresh(), setEditing(null)) }));
  const update = useMutation(trpc.labels.update.mutationOptions({ onSuccess: async () => (await refresh(), setEditing(null)) }));
  const remove = useMutation(trpc.labels.delete.mutationOptions({ onSuccess: async () => (await refresh(), setDeleting(null)) }));
  const mutation = editing?.mode === "edit" ? update : create;
  const items = labels.data?.pages.flatMap((p) => p.items) ?? [];

  function open(next: Editing) {
    create.reset();
    update.reset();
    setEditing(next);
  }

  return (
    <div className="space-y-4">
      {labels.isPending ? (
        <Skeleton className="h-24 w-full" />
      ) : labels.isError ? (
        <ErrorState title="Could not load the labels" message={errorMessage(labels.error)} onRetry={() => void labels.refetch()} />
      ) : items.length === 0 ? (
        <Empty>No labels yet.</Empty>
      ) : (
        <ul aria-label="Labels" className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
          {items.map((l) => (
            <li key={l.id} className="flex items-center gap-3 px-4 py-2.5">
              <span aria-hidden="true" className="size-3.5 shrink-0 rounded-full ring-1 ring-slate-300" style={{ backgroundColor: l.color }} />
              <span className="min-w-0 flex-1 truncate text-sm font-medium text-slate-900">{l.name}</span>
              <span className="font-mono text-xs text-slate-600">{l.color}</span>
              {canEdit && (
                <>
                  <Button variant="ghost" aria-label={`Edit label ${l.name}`} onClick={() => open({ mode: "edit", label: l })}>
                    Edit
                  </Button>
                  <Button variant="danger-ghost" aria-label={`Delete label ${l.name}`} onClick={() => (remove.reset(), setDeleting(l))}>
                    Delete
                  </Button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <LoadMore query={labels} />
      {canEdit && (
        <Button variant="secondary" onClick={() => open({ mode: "create" })}>
          New label
        </Button>
      )}
      <Dialog open={editing !== null} onOpenChange={(o) => !o && setEditing(null)} title={editing?.mode === "edit" ? "Edit label" : "New label"}>
        {editing && (
          <LabelForm
            key={editing.mode === "edit" ? editing.label.id : "new"}
            label={editing.mode === "edit" ? editing.label : null}
            pending={mutation.isPending}
            error={mutation.error}
            onCancel={() => setEditing(null)}
            onSubmit={(v) => (editing.mode === "edit" ? update.mutate({ id: editing.label.id, ...v }) : create.mutate(v))}
          />
        )}
      </Dialog>
      <ConfirmDeleteDialog
        open={deleting !== null}
        title="Delete label?"
        description={deleting ? `“${deleting.name}” comes off every conversation that has it.` : ""}
        action="Delete label"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}

function LabelForm({
  label,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  label: Label | null;
  pending: boolean;
  error: unknown;
  onSubmit: (v: { name: string; color: string }) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(label?.name ?? "");
  const [color, setColor] = useState(label?.color ?? "#2563eb");
  const errors = formErrors(error, ["name", "color"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({ name, color });
  }
  return (
    <form onSubmit={submit} noValidate aria-label={label ? "Edit label" : "New label"} className="space-y-4">
      <FormError message={errors.form} />
      <Field label="Name" error={errors.fields.name}>
        <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={50} autoComplete="off" />
      </Field>
      <Field label="Color" error={errors.fields.color}>
        <Input type="color" value={color} onChange={(e) => setColor(e.target.value)} className="h-10 w-20 p-1" />
      </Field>
      <DialogFormActions submit={label ? "Save label" : "Create label"} pending={pending} onCancel={onCancel} />
    </form>
  );
}
