import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Card } from "../../components/ui/card";
import { ErrorState, Loading } from "../../components/ui/states";
import { errorCode, errorMessage } from "../../lib/errors";
import { currentHost, hostUrl } from "../../lib/host";
import { useTRPC } from "../../lib/trpc";

/** A tenant subdomain's home: who the tenant is and how much of its plan it uses. */
export function TenantHomePage() {
  const trpc = useTRPC();
  const tenant = useQuery(trpc.tenant.current.queryOptions());

  if (tenant.isPending) return <Loading label="Loading tenant…" />;
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
  const used = t.maxUsers > 0 ? Math.min(100, Math.round((t.memberCount / t.maxUsers) * 100)) : 0;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold text-slate-900">{t.name}</h1>
        <Badge>{t.tier}</Badge>
        <Badge tone={t.status === "active" ? "good" : "warn"}>{t.status}</Badge>
        {t.parentId && <Badge>department</Badge>}
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <Card>
          <Stat label="Members">
            <span data-testid="members-used">
              {t.memberCount} / {t.maxUsers}
            </span>
          </Stat>
          <div
            className="mt-3 h-2 overflow-hidden rounded-full bg-slate-100"
            role="progressbar"
            aria-label="Seats used"
            aria-valuemin={0}
            aria-valuemax={t.maxUsers}
            aria-valuenow={t.memberCount}
          >
            <div className="h-full rounded-full bg-brand" style={{ width: `${used}%` }} />
          </div>
        </Card>
        <Card>
          <Stat label="Plan">
            <span className="capitalize">{t.tier}</span>
          </Stat>
          <p className="mt-2 text-xs text-slate-500">
            Up to {t.features.maxAgents} agents, {t.features.maxConcurrentCalls} concurrent calls
          </p>
        </Card>
        <Card>
          <Stat label="Address">
            <span className="text-base">
              {t.slug}.{currentHost.baseDomain}
            </span>
          </Stat>
        </Card>
      </div>
    </div>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold text-slate-900">{children}</p>
    </div>
  );
}

function Badge({ children, tone = "neutral" }: { children: ReactNode; tone?: "neutral" | "good" | "warn" }) {
  const tones = {
    neutral: "bg-slate-100 text-slate-700 ring-slate-200",
    good: "bg-emerald-50 text-emerald-700 ring-emerald-200",
    warn: "bg-amber-50 text-amber-800 ring-amber-200",
  };
  return <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium capitalize ring-1 ring-inset ${tones[tone]}`}>{children}</span>;
}
