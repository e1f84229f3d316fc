import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type ReactNode, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, CardTitle } from "../../components/ui/card";
import { Dialog } from "../../components/ui/dialog";
import { PageHeader } from "../../components/ui/page-header";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState, Loading } from "../../components/ui/states";
import { errorCode, errorMessage } from "../../lib/errors";
import { formatBytes, formatDate, formatDateTime, humanize } from "../../lib/format";
import { currentHost } from "../../lib/host";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { tenantStatusTone, tierLabel } from "./platform-meta";
import { PlanForm } from "./plan-form";
import { planValues, setPlanInput } from "./plan-values";
import { SuspendForm } from "./suspend-form";
import { TenantAudit } from "./tenant-audit";

const route = getRouteApi("/app/platform/tenants/$tenantId");
const count = new Intl.NumberFormat();

type Tenant = RouterOutputs["platform"]["tenants"]["get"];

/** One tenant as the platform sees it: its state (suspend, restore), usage, plan, and its own audit log. */
export function PlatformTenantPage() {
  const { tenantId } = route.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useQuery(trpc.platform.tenants.get.queryOptions({ tenantId }));
  const [suspending, setSuspending] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  /** The answer of a change is the tenant as it is now; lists and logs showing it are read again. */
  const changed = async (t: Tenant) => {
    queryClient.setQueryData(trpc.platform.tenants.get.queryKey({ tenantId }), t);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.platform.tenants.list.infiniteQueryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.platform.tenants.audit.infiniteQueryKey({ tenantId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.platform.audit.infiniteQueryKey() }),
    ]);
  };
  const setPlan = useMutation(trpc.platform.tenants.setPlan.mutationOptions({ onSuccess: changed }));
  const suspend = useMutation(
    trpc.platform.tenants.suspend.mutationOptions({
      onSuccess: async (t) => {
        await changed(t);
        setSuspending(false);
        setNotice(`${t.name} is suspended. Its members see the reason; its API keys are refused.`);
      },
    }),
  );
  const restore = useMutation(
    trpc.platform.tenants.restore.mutationOptions({
      onSuccess: async (t) => {
        await changed(t);
        setNotice(`${t.name} is active again.`);
      },
    }),
  );

  const back = (
    <Link to="/platform" className="text-sm font-medium text-brand hover:underline">
      ← Tenants
    </Link>
  );
  if (tenant.isError) {
    return (
      <div className="space-y-4">
        {back}
        <PageHeader title="Tenant" />
        {errorCode(tenant.error) === "NOT_FOUND" ? (
          <Empty>This tenant does not exist (any more): a purged tenant leaves only its entries in the platform audit log.</Empty>
        ) : (
          <ErrorState title="Could not load the tenant" message={errorMessage(tenant.error)} onRetry={() => void tenant.refetch()} />
        )}
      </div>
    );
  }
  const t = tenant.data;
  return (
    <div className="space-y-6">
      {back}
      <PageHeader
        title={t ? t.name : <Skeleton className="h-8 w-56" />}
        description={
          t ? (
            <span>
              <span className="font-mono break-all">
                {t.slug}.{currentHost.baseDomain}
              </span>
              {t.parentId ? " · a department" : " · an organisation"} · created {formatDate(t.createdAt)}
            </span>
          ) : (
            <Skeleton className="h-4 w-72" />
          )
        }
        actions={
          t && (
            <>
              <span data-testid="tenant-tier">
                <Badge tone="brand">{tierLabel[t.tier]}</Badge>
              </span>
              <Badge tone={tenantStatusTone[t.status]}>{humanize(t.status)}</Badge>
            </>
          )
        }
      />
      {notice && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset">
          {notice}
        </p>
      )}
      {!t ? (
        <Loading label="Loading the tenant…" />
      ) : (
        <>
          <Card>
            <CardTitle description="Suspending closes the tenant to its members and API keys; its data stays. Restoring opens it again.">
              Status
            </CardTitle>
            <StatusPanel t={t} />
            {restore.isError && (
              <div className="mt-4">
                <ErrorState title="Could not restore" message={errorMessage(restore.error)} />
              </div>
            )}
            <div className="mt-4 flex flex-wrap gap-2">
              {t.status === "active" ? (
                <Button
                  variant="danger"
                  onClick={() => {
                    suspend.reset();
                    setNotice(null);
                    setSuspending(true);
                  }}
                >
                  Suspend…
                </Button>
              ) : (
                <Button
                  pending={restore.isPending}
                  onClick={() => {
                    setNotice(null);
                    restore.mutate({ tenantId });
                  }}
                >
                  Restore {t.name}
                </Button>
              )}
              <Link
                to="/platform/audit"
                search={{ tenantId }}
                className="inline-flex h-9 items-center rounded-md px-3 text-sm font-medium text-brand hover:underline"
              >
                Platform actions on this tenant
              </Link>
            </div>
          </Card>

          <Card>
            <CardTitle description="Storage is an estimate from its row counts.">Usage</CardTitle>
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Figure label="Members">
                {count.format(t.usage.members)} <span className="text-sm font-normal text-slate-600">of {count.format(t.maxUsers)} seats</span>
              </Figure>
              <Figure label="AI agents">{count.format(t.usage.agents)}</Figure>
              <Figure label="Requests, last hour">
                {count.format(t.usage.requestsLastHour)}{" "}
                <span className="text-sm font-normal text-slate-600">budget {count.format(t.requestsPerMinute)}/min</span>
              </Figure>
              <Figure label="Storage">{formatBytes(t.usage.storageBytes)}</Figure>
            </dl>
          </Card>

          <Card>
            <CardTitle description="The whole plan is saved at once: what is left empty follows the tier.">Plan</CardTitle>
            {/* Saved: the form starts again from the plan as the API stored it. */}
            <PlanForm
              key={JSON.stringify([t.tier, t.maxUsers, t.planFeatures, t.planRequestsPerMinute])}
              initial={planValues(t, t.planRequestsPerMinute)}
              pending={setPlan.isPending}
              saved={setPlan.isSuccess}
              error={setPlan.error}
              onSubmit={(v) => setPlan.mutate(setPlanInput(tenantId, v))}
            />
          </Card>

          <Card className="p-0">
            <div className="px-6 pt-6">
              <CardTitle description="What happened inside the tenant, as its admins see it.">Audit log</CardTitle>
            </div>
            <TenantAudit tenantId={tenantId} />
          </Card>

          <Dialog
            open={suspending}
            onOpenChange={setSuspending}
            title={`Suspend ${t.name}?`}
            description="Its members see a page with your reason instead of their screens, its API keys are refused and its live updates stop. Nothing is deleted."
          >
            <SuspendForm
              tenantName={t.name}
              pending={suspend.isPending}
              error={suspend.error}
              onSubmit={(reason) => suspend.mutate({ tenantId, reason })}
              onCancel={() => setSuspending(false)}
            />
          </Dialog>
        </>
      )}
    </div>
  );
}

function StatusPanel({ t }: { t: Tenant }) {
  if (t.status === "suspended") {
    return (
      <div className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
        <p>Suspended {t.suspendedAt ? formatDateTime(t.suspendedAt) : ""}.</p>
        {t.suspendedReason && (
          <p className="mt-1 break-words whitespace-pre-line">
            <span className="font-medium">Reason: </span>
            <span data-testid="suspended-reason">{t.suspendedReason}</span>
          </p>
        )}
      </div>
    );
  }
  if (t.status === "archived") {
    return (
      <div className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-800 ring-1 ring-inset ring-slate-200">
        Archived by its owner {t.archivedAt ? formatDateTime(t.archivedAt) : ""}. Its data is deleted for good after{" "}
        <strong>{formatDateTime(t.purgeAfter)}</strong>; until then restoring brings it back unchanged.
      </div>
    );
  }
  return <p className="text-sm text-slate-700">Active: its members and API keys work.</p>;
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-xl font-semibold text-slate-900 tabular-nums">{children}</dd>
    </div>
  );
}
