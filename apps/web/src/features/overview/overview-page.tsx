import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { Badge } from "../../components/ui/badge";
import { Card } from "../../components/ui/card";
import { Skeleton } from "../../components/ui/skeleton";
import { ErrorState } from "../../components/ui/states";
import { errorCode, errorMessage } from "../../lib/errors";
import { currentHost, hostUrl } from "../../lib/host";
import { useTRPC } from "../../lib/trpc";

/** A tenant subdomain's home: who the tenant is, how much of its plan it uses, and today's activity. */
export function OverviewPage() {
  const trpc = useTRPC();
  const tenant = useQuery(trpc.tenant.current.queryOptions());

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
