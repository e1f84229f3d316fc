import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { SaveRow } from "../../components/ui/save-row";
import { Skeleton } from "../../components/ui/skeleton";
import { ErrorState } from "../../components/ui/states";
import { errorMessage, formErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { ConfirmDeleteDialog } from "../settings/confirm-delete-dialog";

/**
 * The tenant's own key for its AI provider: the bearer token sent to a chat agent's own endpoint (its base URL);
 * agents without one use the deployment's provider and key. Stored encrypted; the dashboard only learns whether one is set.
 */
export function AiKeyForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.integrations.ai.get.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.integrations.ai.get.queryKey() });
  const [apiKey, setApiKey] = useState("");
  const [removing, setRemoving] = useState(false);
  const set = useMutation(trpc.integrations.ai.set.mutationOptions({ onSuccess: async () => (setApiKey(""), await refresh()) }));
  const remove = useMutation(trpc.integrations.ai.delete.mutationOptions({ onSuccess: async () => (await refresh(), setRemoving(false)) }));
  const errors = formErrors(set.error, ["apiKey"] as const);

  function submit(e: FormEvent) {
    e.preventDefault();
    set.mutate({ apiKey: apiKey.trim() });
  }

  if (status.isPending) return <Skeleton className="h-24 w-full" />;
  if (status.isError) return <ErrorState title="Could not load the AI key" message={errorMessage(status.error)} onRetry={() => void status.refetch()} />;
  const configured = status.data.configured;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 className="text-sm font-semibold text-slate-900">Your provider key</h3>
        {configured ? <Badge tone="good">Own key set</Badge> : <Badge tone="neutral">No key set</Badge>}
      </div>
      <form onSubmit={submit} noValidate aria-label="AI provider key" className="space-y-4">
        <FormError message={errors.form} />
        <Field
          label="API key"
          error={errors.fields.apiKey}
          hint="Sent to the endpoint your chat agents name (Endpoint base URL under AI agents). Stored encrypted and never shown again."
        >
          <Input type="password" value={apiKey} autoComplete="new-password" spellCheck={false} onChange={(e) => setApiKey(e.target.value)} />
        </Field>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <SaveRow label={configured ? "Replace key" : "Save key"} pending={set.isPending} saved={set.isSuccess} />
          {configured && (
            <Button variant="danger-ghost" onClick={() => (remove.reset(), setRemoving(true))}>
              Remove key
            </Button>
          )}
        </div>
      </form>
      <ConfirmDeleteDialog
        open={removing}
        title="Remove your AI key?"
        description="Agents with their own endpoint are then called without a key; if it refuses, their conversations go to people."
        action="Remove key"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => setRemoving(false)}
      />
    </div>
  );
}
