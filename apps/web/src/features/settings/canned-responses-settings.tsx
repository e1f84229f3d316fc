import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Dialog, DialogFormActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { LoadMore } from "../../components/ui/list-states";
import { Textarea } from "../../components/ui/select";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { cursorPages } from "../../lib/cursor-pages";
import { errorMessage, formErrors } from "../../lib/errors";
import { type RouterOutputs, useTRPC, useTRPCClient } from "../../lib/trpc";
import { ConfirmDeleteDialog } from "./confirm-delete-dialog";

type CannedResponse = RouterOutputs["cannedResponses"]["list"]["items"][number];
type Values = { shortcut: string; title: string; body: string };
type Editing = { mode: "create" } | { mode: "edit"; response: CannedResponse } | null;

const listInput = { limit: 100 };

/** Saved replies that agents insert by typing `/shortcut` in the composer: everyone reads them, admins manage them. */
export function CannedResponsesSettings({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const responses = useInfiniteQuery(
    cursorPages(trpc.cannedResponses.list.infiniteQueryKey(listInput), listInput, (i) => client.cannedResponses.list.query(i)),
  );
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<CannedResponse | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.cannedResponses.list.pathKey() });
  const create = useMutation(trpc.cannedResponses.create.mutationOptions({ onSuccess: async () => (await refresh(), setEditing(null)) }));
  const update = useMutation(trpc.cannedResponses.update.mutationOptions({ onSuccess: async () => (await refresh(), setEditing(null)) }));
  const remove = useMutation(trpc.cannedResponses.delete.mutationOptions({ onSuccess: async () => (await refresh(), setDeleting(null)) }));
  const mutation = editing?.mode === "edit" ? update : create;
  const items = responses.data?.pages.flatMap((p) => p.items) ?? [];

  function open(next: Editing) {
    create.reset();
    update.reset();
    setEditing(next);
  }

  return (
    <div className="space-y-4">
      {responses.isPending ? (
        <Skeleton className="h-24 w-full" />
      ) : responses.isError ? (
        <ErrorState title="Could not load the canned responses" message={errorMessage(responses.error)} onRetry={() => void responses.refetch()} />
      ) : items.length === 0 ? (
        <Empty>No canned responses yet.</Empty>
      ) : (
        <ul aria-label="Canned responses" className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
          {items.map((r) => (
            <li key={r.id} className="flex items-start gap-3 px-4 py-3">
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-baseline gap-2">
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">/{r.shortcut}</code>
                  <span className="text-sm font-medium text-slate-900">{r.title}</span>
                </p>
                <p className="mt-1 line-clamp-2 text-sm whitespace-pre-line text-slate-600">{r.body}</p>
              </div>
              {canEdit && (
                <div className="flex shrink-0 gap-1">
                  <Button variant="ghost" aria-label={`Edit /${r.shortcut}`} onClick={() => open({ mode: "edit", response: r })}>
                    Edit
                  </Button>
                  <Button variant="danger-ghost" aria-label={`Delete /${r.shortcut}`} onClick={() => (remove.reset(), setDeleting(r))}>
                    Delete
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <LoadMore query={responses} />
      {canEdit && (
        <Button variant="secondary" onClick={() => open({ mode: "create" })}>
          New canned response
        </Button>
      )}
      <Dialog
        open={editing !== null}
        onOpenChange={(o) => !o && setEditing(null)}
        title={editing?.mode === "edit" ? "Edit canned response" : "New canned response"}
        wide
      >
        {editing && (
          <CannedResponseForm
            key={editing.mode === "edit" ? editing.response.id : "new"}
            response={editing.mode === "edit" ? editing.response : null}
            pending={mutation.isPending}
            error={mutation.error}
            onCancel={() => setEditing(null)}
            onSubmit={(v) => (editing.mode === "edit" ? update.mutate({ id: editing.response.id, ...v }) : create.mutate(v))}
          />
        )}
      </Dialog>
      <ConfirmDeleteDialog
        open={deleting !== null}
        title="Delete canned response?"
        description={deleting ? `/${deleting.shortcut} stops working in the composer. Replies already sent stay as they are.` : ""}
        action="Delete canned response"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}

function CannedResponseForm({
  response,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  response: CannedResponse | null;
  pending: boolean;
  error: unknown;
  onSubmit: (v: Values) => void;
  onCancel: () => void;
}) {
  const [v, setV] = useState<Values>({ shortcut: response?.shortcut ?? "", title: response?.title ?? "", body: response?.body ?? "" });
  const errors = formErrors(error, ["shortcut", "title", "body"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({ ...v, shortcut: v.shortcut.replace(/^\//, "") });
  }
  return (
    <form onSubmit={submit} noValidate aria-label={response ? "Edit canned response" : "New canned response"} className="space-y-4">
      <FormError message={errors.form} />
      <Field label="Shortcut" hint="Typed after / in the composer: lowercase letters, digits, - or _." error={errors.fields.shortcut}>
        <Input value={v.shortcut} onChange={(e) => setV({ ...v, shortcut: e.target.value })} maxLength={33} autoComplete="off" className="font-mono" />
      </Field>
      <Field label="Title" error={errors.fields.title}>
        <Input value={v.title} onChange={(e) => setV({ ...v, title: e.target.value })} maxLength={100} autoComplete="off" />
      </Field>
      <Field label="Reply" error={errors.fields.body}>
        <Textarea rows={6} value={v.body} onChange={(e) => setV({ ...v, body: e.target.value })} maxLength={5000} />
      </Field>
      <DialogFormActions submit={response ? "Save canned response" : "Create canned response"} pending={pending} onCancel={onCancel} />
    </form>
  );
}
