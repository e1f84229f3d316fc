import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Card, CardTitle } from "../../components/ui/card";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { formatDuration } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { channelLabel } from "../engagements/engagement-meta";
import { ChannelChart, VolumeChart } from "./analytics-charts";
import { mergeSeries, type Period, periodRange, periods } from "./periods";

export function AnalyticsPage() {
  const trpc = useTRPC();
  const [period, setPeriod] = useState<Period>("30d");
  const range = periodRange(period);
  const summary = useQuery(trpc.analytics.summary.queryOptions({ from: range.from, to: range.to }));
  const calls = useQuery(trpc.analytics.timeseries.queryOptions({ metric: "calls", ...range }));
  const engagements = useQuery(trpc.analytics.timeseries.queryOptions({ metric: "engagements", ...range }));
  const tenant = useQuery(trpc.tenant.current.queryOptions());
  const s = summary.data;
  const series = mergeSeries(calls.data?.points, engagements.data?.points);
  const seriesError = calls.error ?? engagements.error;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Analytics"
        description="Volume, response times and satisfaction for a period."
        actions={
          <label className="flex items-center gap-2 text-sm text-slate-600">
            Period
            <Select className="w-44" value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
              {periods.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </Select>
          </label>
        }
      />
      {tenant.data && !tenant.data.features.analytics && (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
          Analytics is switched off for this tenant's plan; figures may be limited.
        </p>
      )}
      {summary.isError ? (
        <ErrorState title="Could not load the summary" message={errorMessage(summary.error)} onRetry={() => void summary.refetch()} />
      ) : (
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-5" role="group" aria-label="Key figures">
          <Kpi label="Calls">{s && s.calls.toLocaleString()}</Kpi>
          <Kpi label="Engagements">{s && s.engagements.toLocaleString()}</Kpi>
          <Kpi label="Avg. first response">{s && (s.avgFirstResponseSeconds === null ? "—" : formatDuration(s.avgFirstResponseSeconds))}</Kpi>
          <Kpi label="Resolution rate">{s && `${Math.round(s.resolutionRate * 100)}%`}</Kpi>
          <Kpi label="CSAT">{s && (s.csatAverage === null ? "—" : `${s.csatAverage.toFixed(2)} / 5`)}</Kpi>
        </div>
      )}
      {!summary.isError && (
        <section aria-labelledby="ai-usage" className="space-y-3">
          <h2 id="ai-usage" className="text-sm font-semibold text-slate-700">
            AI usage
          </h2>
          <div className="grid gap-4 sm:grid-cols-3" role="group" aria-label="AI usage">
            <Kpi label="AI replies">{s && <span data-testid="ai-replies">{s.aiUsage.replies.toLocaleString()}</span>}</Kpi>
            <Kpi label="Prompt tokens">{s && s.aiUsage.promptTokens.toLocaleString()}</Kpi>
            <Kpi label="Completion tokens">{s && s.aiUsage.completionTokens.toLocaleString()}</Kpi>
          </div>
        </section>
      )}
      <div className="grid gap-6 xl:grid-cols-[2fr_1fr]">
        <Card>
          <CardTitle description={range.interval === "hour" ? "Per hour" : "Per day"}>Volume over time</CardTitle>
          <figure className="h-72" aria-label="Volume over time chart">
            {seriesError ? (
              <ErrorState title="Could not load the chart" message={errorMessage(seriesError)} />
            ) : calls.isPending || engagements.isPending ? (
              <Skeleton className="h-full w-full" />
            ) : (
              <VolumeChart data={series} interval={range.interval} />
            )}
          </figure>
        </Card>
        <Card>
          <CardTitle description="Engagements per channel">By channel</CardTitle>
          <figure className="h-72" aria-label="Engagements by channel chart">
            {!s ? (
              <Skeleton className="h-full w-full" />
            ) : s.engagements === 0 ? (
              <Empty>No engagements in this period.</Empty>
            ) : (
              <ChannelChart data={s.byChannel.map((c) => ({ channel: channelLabel[c.channel], count: c.count }))} />
            )}
          </figure>
        </Card>
      </div>
    </div>
  );
}

function Kpi({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-xl bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-medium text-slate-500">{label}</p>
      <div className="mt-1 flex h-8 items-center text-2xl font-semibold text-slate-900 tabular-nums">
        {children ?? <Skeleton className="h-7 w-20" />}
      </div>
    </div>
  );
}
