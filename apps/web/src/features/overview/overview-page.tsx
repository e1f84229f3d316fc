import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type ReactNode, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Card } from "../../components/ui/card";
import { Skeleton, TableSkeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { errorCode, errorMessage } from "../../lib/errors";
import { currentHost, hostUrl } from "../../lib/host";
import { formatDuration, formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { todayRange } from "../analytics/periods";
import { channelLabel, customerLabel, statusTone } from "../engagements/engagement-meta";

/** A tenant subdomain's home: who the tenant is, how much of its plan it uses, and today's activity. */
export function OverviewPage() {
  const trpc = useTRPC();
  const tenant = useQuery(trpc.tenant.current.queryOptions());
  const [today] = useState(todayRange);
  const summary = useQuery(trpc.analytics.summary.queryOptions(today));
  const recent = useQuery(trpc.engagements.list.queryOptions({ limit: 6 }));

  if (tenant.isError) {
    const code = errorCode(tenant.error);
    const title =
      code === "FORBIDDEN"
        ? "You do not have access to this tenant"
        : code === "NOT_FOUND"
          ? "There is no tenant at this address"
          : "Could not load this tenant";
    return (
      <ErrorState
        title={title}
        message={errorMessage(tenant.error)}
        onRetry={code === "FORBIDDEN" || code === "NOT_FOUND" ? undefined : () => void tenant.refetch()}
      >
        <a className="self-center text-sm font-medium text-brand hover:underline" href={hostUrl(null, currentHost)}>
          Go to your tenants
        </a>
      </ErrorState>
    );
  }

  const t = tenant.data;
  const used = t && t.maxUsers > 0 ? Math.min(100, Math.round((t.memberCount / t.maxUsers) * 100)) : 0;
  return (
    <div className="space-y-8">
      <div className="flex min-h-9 flex-wrap items-center gap-3">
        {t ? (
          <>
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{t.name}</h1>
            <Badge tone="brand" className="capitalize">{t.tier}</Badge>
            <Badge tone={t.status === "active" ? "good" : "warn"} className="capitalize">{t.status}</Badge>
            {t.parentId && <Badge>Department</Badge>}
          </>
        ) : (
          <Skeleton className="h-8 w-64" />
        )}
      </div>

      <section aria-labelledby="today-heading">
        <h2 id="today-heading" className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase">
          Today
        </h2>
        {summary.isError ? (
          <ErrorState title="Could not load today's figures" message={errorMessage(summary.error)} onRetry={() => void summary.refetch()} />
        ) : (
          <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
            <Kpi label="Calls">{summary.data?.calls.toLocaleString()}</Kpi>
            <Kpi label="Engagements">{summary.data?.engagements.toLocaleString()}</Kpi>
            <Kpi label="Avg. first response">
              {summary.data && (summary.data.avgFirstResponseSeconds === null ? "—" : formatDuration(summary.data.avgFirstResponseSeconds))}
            </Kpi>
            <Kpi label="CSAT">{summary.data && (summary.data.csatAverage === null ? "—" : `${summary.data.csatAverage.toFixed(1)} / 5`)}</Kpi>
          </div>
        )}
      </section>

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Card>
          <Stat label="Members">
            {t ? (
              <span data-testid="members-used">
                {t.memberCount} / {t.maxUsers}
              </span>
            ) : (
              <Skeleton className="h-8 w-20" />
            )}
          </Stat>
          <div
            className="mt-3 h-2 overflow-hidden rounded-full bg-slate-100"
            role="progressbar"
            aria-label="Seats used"
            aria-valuemin={0}
            aria-valuemax={t?.maxUsers ?? 0}
            aria-valuenow={t?.memberCount ?? 0}
          >
            <div className="h-full rounded-full bg-brand transition-[width]" style={{ width: `${used}%` }} />
          </div>
          <Link to="/members" className="mt-3 inline-block text-sm font-medium text-brand hover:underline">
            Manage members
          </Link>
        </Card>
        <Card>
          <Stat label="Plan">{t ? <span className="capitalize">{t.tier}</span> : <Skeleton className="h-8 w-24" />}</Stat>
          <p className="mt-3 h-4 text-xs text-slate-500">
            {t && `Up to ${t.features.maxAgents} AI agents, ${t.features.maxConcurrentCalls} concurrent calls`}
          </p>
        </Card>
        <Card>
          <Stat label="Address">
            {t ? (
              <span className="block truncate text-base">
                {t.slug}.{currentHost.baseDomain}
              </span>
            ) : (
              <Skeleton className="h-6 w-40" />
            )}
          </Stat>
          <p className="mt-3 h-4 text-xs text-slate-500">{t && `Created ${new Date(t.createdAt).toLocaleDateString()}`}</p>
        </Card>
      </div>

      <Card className="p-0">
        <div className="flex items-center justify-between px-6 pt-5 pb-3">
          <h2 className="text-lg font-semibold text-slate-900">Recent engagements</h2>
          <Link to="/engagements" className="text-sm font-medium text-brand hover:underline">
            Open inbox
          </Link>
        </div>
        {recent.isPending ? (
          <TableSkeleton rows={4} columns={3} label="Loading recent engagements…" />
        ) : recent.isError ? (
          <div className="px-6 pb-5">
            <ErrorState title="Could not load engagements" message={errorMessage(recent.error)} onRetry={() => void recent.refetch()} />
          </div>
        ) : recent.data.items.length === 0 ? (
          <div className="px-6 pb-5">
            <Empty>No engagements yet.</Empty>
          </div>
        ) : (
          <ul aria-label="Recent engagements" className="divide-y divide-slate-100 border-t border-slate-100">
            {recent.data.items.map((e) => (
              <li key={e.id} className="flex h-14 items-center gap-4 px-6">
                <span className="w-24 shrink-0 text-xs font-medium text-slate-500">{channelLabel[e.channel]}</span>
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-sm font-medium text-slate-900">{e.subject ?? customerLabel(e)}</span>
                  <span className="block truncate text-xs text-slate-500">{customerLabel(e)}</span>
                </span>
                <Badge tone={statusTone[e.status]} className="capitalize">
                  {e.status}
                </Badge>
                <span className="hidden w-24 shrink-0 text-right text-xs text-slate-500 sm:block">{formatRelative(e.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function Kpi({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-xl bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-medium text-slate-500">{label}</p>
      <div className="mt-1 flex h-8 items-center text-2xl font-semibold text-slate-900 tabular-nums">
        {children ?? <Skeleton className="h-7 w-16" />}
      </div>
    </div>
  );
}

export function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <p className="text-sm font-medium text-slate-500">{label}</p>
      <div className="mt-1 flex h-8 items-center text-2xl font-semibold text-slate-900">{children}</div>
    </div>
  );
}
