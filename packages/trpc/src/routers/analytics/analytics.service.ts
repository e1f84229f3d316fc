/**
 * Analytics computed by PostgreSQL over rows created in `[from, to)`, using the (tenant_id, created_at) indexes.
 * Buckets are UTC: the series is generated over `timestamp without time zone` in UTC, so the session's TimeZone
 * and daylight-saving changes cannot shift or merge buckets.
 */
import { sql } from "drizzle-orm";
import { type Features, rowsOf, type Tx } from "@switchboard/db";
import { forbidden } from "../../errors";
import type { SummaryInput, TimeseriesInput } from "./analytics.input";

const channels = ["whatsapp", "sms", "email", "twitter", "facebook", "voice", "chat"] as const;

export function assertAnalytics(features: Features) {
  if (!features.analytics) throw forbidden("Analytics are not enabled for this tenant");
}

export async function summary(tx: Tx, tenantId: string, input: SummaryInput) {
  const from = input.from.toISOString();
  const to = input.to.toISOString();
  const [totals] = rowsOf<{
    calls: string | number;
    engagements: string | number;
    resolved: string | number;
    avg_frt: string | number | null;
    csat: string | number | null;
  }>(
    await tx.execute(sql`
      select
        (select count(*) from calls
          where tenant_id = ${tenantId} and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz) as calls,
        count(*) as engagements,
        count(*) filter (where status = 'resolved') as resolved,
        avg(extract(epoch from first_response_at - created_at)) filter (where first_response_at is not null) as avg_frt,
        avg(csat) as csat
      from engagements
      where tenant_id = ${tenantId} and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz`),
  );
  const byChannel = rowsOf<{ channel: string; count: string | number }>(
    await tx.execute(sql`
      select channel, count(*) as count from engagements
      where tenant_id = ${tenantId} and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
      group by channel`),
  );
  // Tokens AI replies spent (one ai_usage row per provider call): the analytics page's usage figures.
  const [ai] = rowsOf<{ replies: string | number; prompt: string | number; completion: string | number }>(
    await tx.execute(sql`
      select count(*) as replies, coalesce(sum(prompt_tokens), 0) as prompt, coalesce(sum(completion_tokens), 0) as completion
      from ai_usage
      where tenant_id = ${tenantId} and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz`),
  );
  const engagements = Number(totals?.engagements ?? 0);
  const counted = new Map(byChannel.map((r) => [r.channel, Number(r.count)]));
  const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
  return {
    calls: Number(totals?.calls ?? 0),
    engagements,
    avgFirstResponseSeconds: totals?.avg_frt == null ? null : round(Number(totals.avg_frt), 1),
    resolutionRate: engagements === 0 ? 0 : round(Number(totals!.resolved) / engagements, 4),
    csatAverage: totals?.csat == null ? null : round(Number(totals.csat), 2),
    byChannel: channels.map((channel) => ({ channel, count: counted.get(channel) ?? 0 })),
    aiUsage: { replies: Number(ai?.replies ?? 0), promptTokens: Number(ai?.prompt ?? 0), completionTokens: Number(ai?.completion ?? 0) },
  };
}

export async function timeseries(tx: Tx, tenantId: string, input: TimeseriesInput) {
  const from = input.from.toISOString();
  const to = input.to.toISOString();
  const table = input.metric === "calls" ? sql`calls` : sql`engagements`;
  const unit = input.interval; // "hour" | "day", from the enum
  const step = unit === "hour" ? sql`interval '1 hour'` : sql`interval '1 day'`;
  const rows = rowsOf<{ t: string | Date; value: string | number }>(
    await tx.execute(sql`
      with buckets as (
        select generate_series(
          date_trunc(${unit}, ${from}::timestamptz at time zone 'UTC'),
          (${to}::timestamptz at time zone 'UTC') - interval '1 microsecond',
          ${step}) as b
      ), counted as (
        select date_trunc(${unit}, created_at at time zone 'UTC') as b, count(*) as n
        from ${table}
        where tenant_id = ${tenantId} and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
        group by 1
      )
      select to_char(buckets.b, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as t, coalesce(counted.n, 0) as value
      from buckets left join counted on counted.b = buckets.b
      order by buckets.b`),
  );
  return { points: rows.map((r) => ({ t: String(r.t), value: Number(r.value) })) };
}
