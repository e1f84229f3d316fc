import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Dialog } from "../../components/ui/dialog";
import { ListStates } from "../../components/ui/list-states";
import { ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { formatRelative } from "../../lib/format";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { ConfirmDeleteDialog } from "../settings/confirm-delete-dialog";
import { CreateWebhookDialog } from "./create-webhook-dialog";
import { WebhookForm, type WebhookValues } from "./webhook-form";
import { type Webhook, webhookEvents, webhookState } from "./webhook-meta";

/** What webhooks.create / webhooks.update receive from the form: no empty description. */
export function webhookInput(v: WebhookValues) {
  return { url: v.url, events: v.events, ...(v.description ? { description: v.description } : {}) };
}

/** The tenant's endpoints: add (secret shown once), switch on and off, send a test ping, edit, delete, open the log. */
export function WebhooksSection() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const webhooks = useQuery(trpc.webhooks.list.queryOptions({ limit: 100 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSettled: refresh }));
  const test = useMutation(trpc.webhooks.test.mutationOptions());
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess: async () => (await refresh(), setDeleting(null)) }));
  const items = webhooks.data?.items ?? [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          {items.length === 0 ? "No endpoints yet." : `${items.length} endpoint${items.length === 1 ? "" : "s"}.`}
        </p>
        <Button onClick={() => setCreating(true)}>Add endpoint</Button>
      </div>
      <ListStates
        query={webhooks}
        isEmpty={items.length === 0}
        skeleton={{ rows: 2, columns: 3, label: "Loading webhook endpoints…" }}
        errorTitle="Could not load the webhook endpoints"
        empty={<>Add an endpoint to receive conversations, messages, calls and leads as they happen.</>}
      >
        <ul aria-label="Webhook endpoints" className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
          {items.map((w) => {
            const state = webhookState(w);
            const label = w.description || w.url;
            const toggling = update.isPending && update.variables?.id === w.id;
            return (
              <li key={w.id} className="space-y-2 px-4 py-3">
                <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
                  <div className="min-w-0 flex-1 basis-64">
                    {w.description && <p className="truncate font-medium text-slate-900">{w.description}</p>}
                    <p className="font-mono text-xs break-all text-slate-700">{w.url}</p>
                    <p className="mt-1 text-xs text-slate-600">
                      {w.events.join(", ")}
                      {w.failingSince && ` · failing since ${formatRelative(w.failingSince)}`}
                    </p>
                    {w.disabledReason && <p className="mt-1 text-xs text-red-700">{w.disabledReason}</p>}
                  </div>
                  <Badge tone={state.tone}>{state.label}</Badge>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <Link
                    to="/integrations/webhooks/$webhookId"
                    params={{ webhookId: w.id }}
                    aria-label={`Deliveries of ${label}`}
                    className="inline-flex items-center rounded-md px-3.5 py-2 text-sm font-medium text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
                  >
                    Deliveries
                  </Link>
                  {w.enabled && (
                    <Button
                      variant="secondary"
                      aria-label={`Send test to ${label}`}
                      pending={test.isPending && test.variables?.id === w.id}
                      onClick={() => test.mutate({ id: w.id })}
                    >
                      Send test
                    </Button>
                  )}
                  <Button
                    variant="secondary"
                    aria-label={`${w.enabled ? "Disable" : "Enable"} ${label}`}
                    pending={toggling}
                    onClick={() => update.mutate({ id: w.id, enabled: !w.enabled })}
                  >
                    {w.enabled ? "Disable" : "Enable"}
                  </Button>
                  <Button variant="ghost" aria-label={`Edit ${label}`} onClick={() => (update.reset(), setEditing(w))}>
                    Edit
                  </Button>
                  <Button variant="danger-ghost" aria-label={`Delete ${label}`} onClick={() => (remove.reset(), setDeleting(w))}>
                    Delete
                  </Button>
                </div>
                {test.isSuccess && test.variables.id === w.id && (
                  <p role="status" className="text-sm text-emerald-700">
                    Ping queued.{" "}
                    <Link to="/integrations/webhooks/$webhookId" params={{ webhookId: w.id }} className="font-medium underline">
                      See it in the delivery log
                    </Link>
                  </p>
                )}
                {test.isError && test.variables.id === w.id && <ErrorState title="Could not send a test" message={errorMessage(test.error)} />}
                {update.isError && update.variables.id === w.id && editing === null && (
                  <ErrorState title="Could not change the endpoint" message={errorMessage(update.error)} />
                )}
              </li>
            );
          })}
        </ul>
      </ListStates>

      <CreateWebhookDialog
        open={creating}
        onOpenChange={setCreating}
        create={async (values) => {
          const created = await client.webhooks.create.mutate(webhookInput(values));
          await refresh();
          return created;
        }}
      />
      <Dialog open={editing !== null} onOpenChange={(o) => !o && setEditing(null)} title="Edit webhook endpoint" wide>
        {editing && (
          <WebhookForm
            key={editing.id}
            initial={{ url: editing.url, description: editing.description ?? "", events: webhookEvents.filter((e) => editing.events.includes(e)) }}
            submitLabel="Save endpoint"
            pending={update.isPending}
            error={update.error}
            onCancel={() => setEditing(null)}
            onSubmit={(v) =>
              update.mutate(
                { id: editing.id, url: v.url, events: v.events, description: v.description || null },
                { onSuccess: () => setEditing(null) },
              )
            }
          />
        )}
      </Dialog>
      <ConfirmDeleteDialog
        open={deleting !== null}
        title="Delete webhook endpoint?"
        description={deleting ? `${deleting.url} stops receiving events; its delivery log is deleted with it.` : ""}
        action="Delete endpoint"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}
