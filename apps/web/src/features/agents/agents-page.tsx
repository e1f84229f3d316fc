import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { PageHeader } from "../../components/ui/page-header";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { formatDate } from "../../lib/format";
import { usePermissions } from "../../lib/roles";
import { useTRPC } from "../../lib/trpc";
import { AgentForm, type AgentValues } from "./agent-form";

type Editing = { mode: "create" } | { mode: "edit"; id: string } | null;

export function AgentsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const tenant = useQuery(trpc.tenant.current.queryOptions());
  const agents = useQuery(trpc.agents.list.queryOptions({ limit: 100 }));
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.agents.list.queryKey() });
  const done = { onSuccess: async () => (await refresh(), setEditing(null)) };
  const create = useMutation(trpc.agents.create.mutationOptions(done));
  const update = useMutation(trpc.agents.update.mutationOptions(done));
  const remove = useMutation(trpc.agents.delete.mutationOptions({ onSuccess: async () => (await refresh(), setDeleting(null)) }));

  const features = tenant.data?.features;
  const count = agents.data?.items.length ?? 0;
  const atLimit = features ? count >= features.maxAgents : false;
  const enabled = { voice: features?.voiceAgents ?? false, chat: features?.chatAgents ?? false };
  const editingAgent = editing?.mode === "edit" ? agents.data?.items.find((a) => a.id === editing.id) : undefined;
  const mutation = editing?.mode === "edit" ? update : create;

  function open(next: Editing) {
    create.reset();
    update.reset();
    setEditing(next);
  }
  function submit(v: AgentValues) {
    if (editing?.mode === "edit") update.mutate({ id: editing.id, name: v.name, configuration: v.configuration });
    else create.mutate(v);
  }

  return (
    <div>
      <PageHeader
        title="AI agents"
        description="The voice and chat bots that answer your customers."
        actions={
          perms.canManageAgents && (
            <Button
              onClick={() => open({ mode: "create" })}
              disabled={!features || atLimit || (!enabled.voice && !enabled.chat)}
              title={atLimit ? "This tenant has reached its agent limit" : undefined}
            >
              Create agent
            </Button>
          )
        }
      />
      <div className="mb-6 grid gap-3 sm:grid-cols-3" aria-label="Plan limits" role="group">
        <Limit label="Agents">
          {features && agents.data ? (
            <span data-testid="agent-usage">
              {count} / {features.maxAgents}
            </span>
          ) : (
            <Skeleton className="h-6 w-16" />
          )}
        </Limit>
        <Limit label="Voice agents">{features ? <OnOff on={enabled.voice} /> : <Skeleton className="h-6 w-16" />}</Limit>
        <Limit label="Chat agents">{features ? <OnOff on={enabled.chat} /> : <Skeleton className="h-6 w-16" />}</Limit>
      </div>
      {atLimit && perms.canManageAgents && (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
          This tenant has reached its limit of {features?.maxAgents} agents. An owner can raise it in Settings → Features.
        </p>
      )}
      {agents.isPending ? (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-44 w-full rounded-xl" />
          ))}
        </div>
      ) : agents.isError ? (
        <ErrorState title="Could not load the agents" message={errorMessage(agents.error)} onRetry={() => void agents.refetch()} />
      ) : agents.data.items.length === 0 ? (
        <Empty>No AI agents yet.{perms.canManageAgents ? " Create one to start answering calls and chats." : ""}</Empty>
      ) : (
        <ul aria-label="Agents" className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {agents.data.items.map((a) => (
            <li key={a.id}>
              <Card className="flex h-full flex-col p-5">
                <div className="flex items-start justify-between gap-3">
                  <div className="min-w-0">
                    <h2 className="truncate font-semibold text-slate-900">{a.name}</h2>
                    <p className="text-xs text-slate-500">
                      {a.configuration.language}
                      {a.configuration.voice ? ` · ${a.configuration.voice}` : ""}
                      {a.configuration.provider ? ` · ${a.configuration.provider.model}` : ""} · since {formatDate(a.createdAt)}
                    </p>
                  </div>
                  <Badge tone={a.type === "voice" ? "brand" : "info"}>{a.type === "voice" ? "Voice" : "Chat"}</Badge>
                </div>
                {a.configuration.greeting && <p className="mt-3 text-sm text-slate-700 italic">“{a.configuration.greeting}”</p>}
                <p className="mt-2 line-clamp-3 text-sm text-slate-500">{a.configuration.prompt}</p>
                {perms.canManageAgents && (
                  <div className="mt-auto flex gap-2 pt-4">
                    <Button variant="secondary" aria-label={`Edit ${a.name}`} onClick={() => open({ mode: "edit", id: a.id })}>
                      Edit
                    </Button>
                    <Button variant="danger-ghost" aria-label={`Delete ${a.name}`} onClick={() => setDeleting({ id: a.id, name: a.name })}>
                      Delete
                    </Button>
                  </div>
                )}
              </Card>
            </li>
          ))}
        </ul>
      )}

      <Dialog open={editing !== null} onOpenChange={(o) => !o && setEditing(null)} title={editing?.mode === "edit" ? "Edit agent" : "Create an AI agent"} wide>
        {editing && (
          <AgentForm
            key={editing.mode === "edit" ? editing.id : "new"}
            {...(editingAgent ? { agent: editingAgent } : {})}
            enabled={enabled}
            onSubmit={submit}
            onCancel={() => setEditing(null)}
            pending={mutation.isPending}
            error={mutation.error}
          />
        )}
      </Dialog>
      <Dialog
        open={deleting !== null}
        onOpenChange={(o) => {
          if (!o) {
            setDeleting(null);
            remove.reset();
          }
        }}
        title="Delete agent?"
        description={deleting ? `${deleting.name} stops answering. Past calls keep their history.` : undefined}
      >
        {remove.isError && <ErrorState title="Could not delete" message={errorMessage(remove.error)} />}
        <DialogActions>
          <Button variant="secondary" onClick={() => setDeleting(null)}>
            Cancel
          </Button>
          <Button variant="danger" pending={remove.isPending} onClick={() => deleting && remove.mutate({ id: deleting.id })}>
            Delete agent
          </Button>
        </DialogActions>
      </Dialog>
    </div>
  );
}

function Limit({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-xl bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <div className="mt-1 flex h-7 items-center text-lg font-semibold text-slate-900">{children}</div>
    </div>
  );
}

function OnOff({ on }: { on: boolean }) {
  return <Badge tone={on ? "good" : "neutral"}>{on ? "Enabled" : "Disabled"}</Badge>;
}
