// Every keyset list is read in index order: the page's rows come straight off an index that stops at the page,
// never "all of the tenant's rows before the cursor, then sort". A DESC NULLS LAST index does not serve
// ORDER BY … DESC (NULLS FIRST), which is how this once went wrong for every list (migration 0007).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const tenant = "'00000000-0000-4000-8000-000000000001'::uuid";
const cursor = (at: string) => `(${at}, id) < ('2026-01-01T00:00:00Z'::timestamptz, '00000000-0000-4000-8000-000000000002'::uuid)`;
// The index expected for each list (a pattern where two indexes serve the order equally well on empty tables).
const cases: [string, string][] = [
  ["calls_tenant_started_idx", `select id from calls where tenant_id = ${tenant} and ${cursor("started_at")} order by started_at desc, id desc limit 51`],
  ["calls_tenant_(status_)?started_idx", `select id from calls where tenant_id = ${tenant} and status = 'completed' and ${cursor("started_at")} order by started_at desc, id desc limit 51`],
  ["calls_tenant_agent_started_idx", `select id from calls where tenant_id = ${tenant} and agent_id = ${tenant} and ${cursor("started_at")} order by started_at desc, id desc limit 51`],
  ["leads_tenant_created_idx", `select id from leads where tenant_id = ${tenant} and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  ["leads_tenant_status_created_idx", `select id from leads where tenant_id = ${tenant} and status = 'new' and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  ["engagements_tenant_created_idx", `select id from engagements where tenant_id = ${tenant} and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  ["engagements_tenant_status_created_idx", `select id from engagements where tenant_id = ${tenant} and status = 'open' and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  ["engagements_tenant_channel_created_idx", `select id from engagements where tenant_id = ${tenant} and channel = 'email' and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  ["agents_tenant_created_idx", `select id from agents where tenant_id = ${tenant} and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  ["engagements_tenant_assignee_created_idx", `select id from engagements where tenant_id = ${tenant} and assigned_user_id = ${tenant} and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  ["engagements_tenant_(assignee_)?created_idx", `select id from engagements where tenant_id = ${tenant} and assigned_user_id is null and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  ["engagements_tenant_contact_created_idx", `select id from engagements where tenant_id = ${tenant} and contact_id = ${tenant} and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  ["calls_tenant_contact_started_idx", `select id from calls where tenant_id = ${tenant} and contact_id = ${tenant} order by started_at desc, id desc limit 5`],
  ["leads_tenant_contact_created_idx", `select id from leads where tenant_id = ${tenant} and contact_id = ${tenant} order by created_at desc, id desc limit 5`],
  // Not a list: routing's count of a person's open conversations (a partial index, usable under RLS).
  ["engagements_tenant_assignee_open_idx", `select count(*) from engagements where tenant_id = ${tenant} and assigned_user_id = ${tenant} and resolved_at is null`],
  ["contacts_tenant_created_idx", `select id from contacts where tenant_id = ${tenant} and ${cursor("created_at")} order by created_at desc, id desc limit 51`],
  // A thread reads oldest first, after the cursor.
  ["messages_tenant_engagement_created_idx", `select id from messages where tenant_id = ${tenant} and engagement_id = ${tenant} and (created_at, id) > ('2026-01-01T00:00:00Z'::timestamptz, ${tenant}) order by created_at, id limit 51`],
  ["labels_tenant_name_unique", `select id from labels where tenant_id = ${tenant} order by lower(name) limit 101`],
  ["canned_responses_tenant_shortcut_unique", `select id from canned_responses where tenant_id = ${tenant} and shortcut > 'a' order by shortcut limit 51`],
  ["engagement_labels_tenant_label_idx", `select engagement_id from engagement_labels where tenant_id = ${tenant} and label_id = ${tenant} order by engagement_id limit 51`],
  ["audit_log_tenant_id_at_id_index", `select id from audit_log where tenant_id = ${tenant} and ${cursor("at")} order by at desc, id desc limit 51`],
];

describe("keyset lists use their index for the order", () => {
  it.each(cases)("%s", async (index, query) => {
    const plan = await t.owner.db.transaction(async (tx) => {
      // Empty test tables: take the planner's cost choice out, so only whether the index CAN give the order counts.
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const result = await tx.execute(sql.raw(`explain (costs off) ${query}`));
      const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as Record<string, string>[];
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toMatch(new RegExp(`Index (Only )?Scan using ${index} `));
    expect(plan).not.toMatch(/Sort/);
  });
});
