import { useQuery } from "@tanstack/react-query";
import { Card } from "../../components/ui/card";
import { PageHeader } from "../../components/ui/page-header";
import { Skeleton } from "../../components/ui/skeleton";
import { ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { UsageMeter } from "./usage-meter";

/** The request budget moves every second; asking again this often keeps the minute's count honest without spending much of it. */
const REFRESH_MS = 10_000;

/** What the plan allows against what the tenant uses: seats, AI agents, and this minute's API requests. Every member sees it. */
export function UsagePage() {
  const trpc = useTRPC();
  const usage = useQuery({ ...trpc.tenant.usage.queryOptions(), staleTime: 0, refetchInterval: REFRESH_MS });
  return (
    <div className="space-y-6">
      <PageHeader title="Usage" description="Your plan's limits and how much of each is in use. The plan is set by Switchboard." />
      {usage.isError ? (
        <ErrorState title="Could not load the usage" message={errorMessage(usage.error)} onRetry={() => void usage.refetch()} />
      ) : !usage.data ? (
        <div role="status" aria-label="Loading usage" className="grid gap-4 md:grid-cols-3">
          <Skeleton className="h-28 w-full" />
          <Skeleton className="h-28 w-full" />
          <Skeleton className="h-28 w-full" />
        </div>
      ) : (
        <>
          <div className="grid gap-4 md:grid-cols-3">
            <Card>
              <UsageMeter
                label="Seats"
                used={usage.data.seats.members + usage.data.seats.invitations}
                limit={usage.data.seats.limit}
                unit="seats"
                detail={`${usage.data.seats.members} members, ${usage.data.seats.invitations} pending invitations`}
              />
            </Card>
            <Card>
              <UsageMeter label="AI agents" used={usage.data.agents.used} limit={usage.data.agents.limit} unit="agents" />
            </Card>
            <Card>
              <UsageMeter label="API requests this minute" used={usage.data.requests.thisMinute} limit={usage.data.requests.perMinute} unit="requests" />
            </Card>
          </div>
          <Card>
            <h2 className="text-base font-semibold text-slate-900">When a limit is reached</h2>
            <ul className="mt-3 list-disc space-y-2 pl-5 text-sm text-slate-700">
              <li>Seats count members and pending invitations: inviting someone past the limit is refused until a seat is free.</li>
              <li>A new AI agent past the limit is refused; existing agents keep working.</li>
              <li>
                Requests (dashboard and API keys together) share one budget per minute. Past it, the API answers{" "}
                <code className="rounded bg-slate-100 px-1">429 Too Many Requests</code> with a{" "}
                <code className="rounded bg-slate-100 px-1">Retry-After</code> header: the seconds to wait before trying again. The SDK waits and
                retries by itself.
              </li>
            </ul>
          </Card>
        </>
      )}
    </div>
  );
}
