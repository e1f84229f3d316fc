import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { PageHeader } from "../../components/ui/page-header";
import { SettingsSection } from "../../components/ui/settings-section";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { usePermissions } from "../../lib/roles";
import { useTRPC } from "../../lib/trpc";
import { ArchiveSection } from "./archive-section";
import { EraseContactSection } from "./erase-contact-section";
import { ExportsSection } from "./exports-section";
import { RetentionForm } from "./retention-form";

/**
 * Settings → Data: the tenant's data lifecycle. Admins export and look contacts up; owners also set retention, erase
 * a contact and archive the tenant (the API enforces the same split).
 */
export function DataPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const tenant = useQuery(trpc.tenant.current.queryOptions());
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.tenant.update.mutationOptions({
      onSuccess: (t) => {
        // tenant.current also carries what tenant.update does not answer (archiveGraceDays): merged, not replaced.
        queryClient.setQueryData(trpc.tenant.current.queryKey(), (old) => (old ? { ...old, ...t } : old));
        setSaved(true);
      },
    }),
  );

  if (!perms.loading && !perms.canAdmin) {
    return (
      <>
        <PageHeader title="Data" />
        <Empty>Only admins and owners manage the tenant's data: exports, retention and erasure.</Empty>
      </>
    );
  }
  if (tenant.isError) {
    return <ErrorState title="Could not load the tenant" message={errorMessage(tenant.error)} onRetry={() => void tenant.refetch()} />;
  }
  const t = tenant.data;
  return (
    <div className="space-y-10">
      <PageHeader title="Data" description="Take your data out, decide how long conversations are kept, erase a person on request, or close the tenant." />
      <SettingsSection id="exports" title="Exports" description="Conversations, messages, contacts, calls, leads or the audit log as gzip-compressed files, ready in the background. Kept for 7 days.">
        <ExportsSection />
      </SettingsSection>
      {!t ? (
        <Skeleton className="h-48 w-full" />
      ) : (
        <>
          <SettingsSection
            id="retention"
            title="Retention"
            description={perms.isOwner ? "A daily job removes transcripts and message texts older than this." : "A daily job removes transcripts and message texts older than this. Owners change it."}
          >
            <RetentionForm
              key={JSON.stringify(t.retention)}
              retention={t.retention}
              disabled={!perms.isOwner}
              pending={update.isPending}
              error={update.error}
              saved={saved}
              onSubmit={(retention) => (setSaved(false), update.mutate({ retention }))}
            />
          </SettingsSection>
          <SettingsSection id="erase" title="Erase a contact" description="When a customer asks to be forgotten. Counts stay for analytics; nothing that identifies them does.">
            <EraseContactSection canErase={perms.isOwner} />
          </SettingsSection>
          {perms.isOwner && (
            <SettingsSection id="archive" title="Archive" description="Close the tenant. After a grace period its data is deleted for good.">
              <ArchiveSection slug={t.slug} graceDays={t.archiveGraceDays} isDepartment={t.parentId !== null} />
            </SettingsSection>
          )}
        </>
      )}
    </div>
  );
}
