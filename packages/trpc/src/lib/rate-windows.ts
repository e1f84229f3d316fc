/**
 * Fixed one-minute counters in `rate_limit_windows`, shared by every API replica (a per-process counter would
 * multiply a limit by the replica count). One atomic upsert per hit, so concurrent hits never slip past the count.
 * Buckets name what is limited: `auth:<ip>`, `audit-denied:<tenant id>`. Old windows are pruned by a job.
 */
import { sql } from "drizzle-orm";
import { type Executor, rateLimitWindows } from "@switchboard/db";

export interface WindowHit {
  /** Hits in the current minute, this one included. */
  count: number;
  /** Seconds until the window ends (what `Retry-After` says when the limit is reached). */
  secondsLeft: number;
}

/** Counts one hit in `bucket`'s current minute (database clock). */
export async function hitRateWindow(db: Executor, bucket: string): Promise<WindowHit> {
  const [row] = await db
    .insert(rateLimitWindows)
    .values({ bucket, windowStart: sql`date_trunc('minute', now())`, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimitWindows.bucket, rateLimitWindows.windowStart],
      set: { count: sql`${rateLimitWindows.count} + 1` },
    })
    .returning({
      count: rateLimitWindows.count,
      secondsLeft: sql<number>`extract(epoch from ${rateLimitWindows.windowStart} + interval '1 minute' - now())::float8`,
    });
  return row!;
}
