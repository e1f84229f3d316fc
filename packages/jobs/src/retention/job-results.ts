/**
 * What a job answered stays in pg-boss for days (`pgboss.job`, then `pgboss.archive`), and some answers quote
 * personal data: a `twilio.send` that could not send says which number it refused. An erasure clears the answers of
 * every job about the person's messages (the data of a job names ids only, never content: queues.ts).
 */
import { sql } from "drizzle-orm";
import type { Tx } from "@switchboard/db";

export async function forgetJobResults(tx: Tx, tenantId: string, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  const ids = `{${messageIds.join(",")}}`;
  for (const table of ["pgboss.job", "pgboss.archive"]) {
    await tx.execute(sql`
      update ${sql.raw(table)} set output = null
      where output is not null and data->>'tenantId' = ${tenantId} and data->>'messageId' = any(${ids}::text[])`);
  }
}
