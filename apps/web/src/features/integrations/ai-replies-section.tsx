import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Skeleton } from "../../components/ui/skeleton";
import { ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { AiKeyForm } from "./ai-key-form";
import { AiRepliesForm } from "./ai-replies-form";

/** The tenant's aiReplies setting (tenant.update) and its own provider key (integrations.ai). */
export function AiRepliesSection({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useQuery(trpc.tenant.current.queryOptions());
  const agents = useQuery(trpc.agents.list.queryOptions({ limit: 100 }));
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.tenant.update.mutationOptions({
      // Merged: tenant.current also carries archiveGraceDays, which tenant.update does not answer.
      onSuccess: (t) => (queryClient.setQueryData(trpc.tenant.current.queryKey(), (old) => (old ? { ...old, ...t } : old)), setSaved(true)),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.tenant.current.queryKey() }),
    }),
  );

  if (tenant.isError || agents.isError) {
    const failed = tenant.isError ? tenant : agents;
    return <ErrorState title="Could not load the AI reply settings" message={errorMessage(failed.error)} onRetry={() => void failed.refetch()} />;
  }
  if (!tenant.data || !agents.data) return <Skeleton className="h-64 w-full" />;
  const aiReplies = tenant.data.aiReplies;
  return (
    <div className="space-y-6">
      {!tenant.data.features.chatAgents && (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
          Chat agents are switched off for this tenant (Settings → Features): AI replies stay off until they are on.
        </p>
      )}
      <AiRepliesForm
        key={JSON.stringify(aiReplies)}
        aiReplies={aiReplies}
        agents={agents.data.items}
        disabled={!canEdit}
        pending={update.isPending}
        error={update.error}
        saved={saved && !update.isPending}
        onSubmit={(v) => {
          setSaved(false);
          update.mutate({ aiReplies: v });
        }}
      />
      {canEdit && (
        <div className="border-t border-slate-100 pt-5">
          <AiKeyForm />
        </div>
      )}
    </div>
  );
}
