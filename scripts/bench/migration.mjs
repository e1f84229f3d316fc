// 7. The online migration of issue #13 on real volumes: the generated dataset is rewound to its shape before the
// conversations release (each thread's first message back in engagements.message, no contacts, no threads, the
// step's indexes dropped and its constraints NOT VALID again, the steps' ledger rows removed), then
// `apps/api/dist/migrate.mjs` runs as a deploy would, while an API replica keeps serving (engagements.create and
// engagements.list, one at a time: how long the app waits during the step). Then the result is checked.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { request } from "../lib/http.mjs";
import { Replica, root } from "../lib/stack.mjs";
import { mintApiKey } from "./dataset.mjs";
import { summarize } from "./lib.mjs";

/** What the step builds or validates (packages/db/src/online-migrations/0014-conversations.ts). */
const stepIndexes = [
  "engagements_tenant_assignee_created_idx",
  "engagements_tenant_contact_created_idx",
  "engagements_subject_search_idx",
  "calls_tenant_contact_started_idx",
  "leads_tenant_contact_created_idx",
];
const stepConstraints = [
  ["engagements", "engagements_contact_fk"],
  ["engagements", "engagements_csat_comment_length"],
  ["calls", "calls_contact_fk"],
  ["leads", "leads_contact_fk"],
  ["engagement_events", "engagement_events_message_fk"],
];

const seconds = (ms) => Math.round(ms / 100) / 10;

async function counts(owner) {
  const [row] = await owner`select
    (select count(*)::int from engagements) as engagements, (select count(*)::int from calls) as calls,
    (select count(*)::int from leads) as leads, (select count(*)::int from messages) as messages,
    (select count(*)::int from contacts) as contacts, (select count(*)::int from contact_handles) as handles`;
  return row;
}

/** Back to the shape of a database the release before issue #13 wrote. */
async function rewind(owner) {
  const t0 = Date.now();
  await owner`drop table if exists bench_first_messages`;
  // The first inbound message of each thread: what the old release kept in engagements.message.
  await owner`create unlogged table bench_first_messages as
    select distinct on (tenant_id, engagement_id) tenant_id, engagement_id, body from messages
     where kind = 'inbound' order by tenant_id, engagement_id, created_at, id`;
  await owner`alter table bench_first_messages add primary key (tenant_id, engagement_id)`;
  const definitions = [];
  for (const [table, name] of stepConstraints) {
    const [c] = await owner`select pg_get_constraintdef(oid) as def from pg_constraint where conname = ${name} and conrelid = ${`public.${table}`}::regclass`;
    definitions.push([table, name, c.def.replace(/ NOT VALID$/, "")]);
    await owner.unsafe(`alter table "${table}" drop constraint "${name}"`);
  }
  for (const name of stepIndexes) await owner.unsafe(`drop index if exists "${name}"`);
  // Message events did not exist; the threads, contacts, labels and canned responses neither.
  await owner`delete from engagement_events where type = 'message'`;
  await owner`truncate messages, engagement_labels, labels, canned_responses, contact_handles, contacts`;
  await owner`update engagements e set message = f.body, contact_id = null, last_message_at = null, first_response_due_at = null,
      csat_source = null, csat_comment = null
    from bench_first_messages f where f.tenant_id = e.tenant_id and f.engagement_id = e.id`;
  await owner`update calls set contact_id = null where contact_id is not null`;
  await owner`update leads set contact_id = null where contact_id is not null`;
  // As migration 0014 left them: added NOT VALID, for the step to validate.
  for (const [table, name, def] of definitions) await owner.unsafe(`alter table "${table}" add constraint "${name}" ${def} not valid`);
  await owner`delete from drizzle.switchboard_online_migrations where name >= '0014'`;
  await owner`vacuum analyze engagements, calls, leads, messages, contacts, contact_handles, engagement_events`;
  return Date.now() - t0;
}

/** engagements.create + engagements.list through the API, one after the other, until stopped. */
function serveMeanwhile(api, authorization) {
  const latency = [];
  let failures = 0;
  let stop = false;
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      const t0 = performance.now();
      const res =
        i % 2 === 0
          ? await request({ port: api.port, method: "POST", path: "/trpc/engagements.create", headers: { authorization }, body: { channel: "whatsapp", customer: `+1 212 555 ${String(1000 + (i % 9000)).padStart(4, "0")}`, message: `During the migration (${i})` } })
          : await request({ port: api.port, path: `/trpc/engagements.list?input=${encodeURIComponent(JSON.stringify({ limit: 50 }))}`, headers: { authorization } });
      if (res.status === 200) latency.push(performance.now() - t0);
      else failures++;
    }
  })();
  return async () => {
    stop = true;
    await loop;
    return { requests: latency.length + failures, failures, latencyMs: summarize(latency) };
  };
}

export async function benchMigration({ database, owner, env }) {
  const generated = await counts(owner);
  const rewindMs = await rewind(owner);
  const rewound = await counts(owner);
  const [{ legacy }] = await owner`select count(*)::int as legacy from engagements where message is not null`;
  console.log(`[bench] migration: rewound in ${seconds(rewindMs)} s: ${legacy} engagements with a legacy message, ${rewound.contacts} contacts, ${rewound.messages} messages`);

  const api = await new Replica(0, env).start();
  // An enterprise tenant: its request budget (20,000 a minute) stays out of the way.
  const [tenant] = await owner`select id from tenants where slug like 'gen-%' and tier = 'enterprise' order by slug limit 1`;
  const stopServing = serveMeanwhile(api, await mintApiKey(owner, tenant.id, "agent", "bench-migration"));
  const log = [];
  const t0 = Date.now();
  const status = await new Promise((resolve) => {
    const proc = spawn(process.execPath, [join(root, "apps/api/dist/migrate.mjs")], {
      cwd: root,
      env: { ...process.env, DATABASE_OWNER_URL: database.ownerUrl, DATABASE_URL: database.appUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (d) => {
      for (const line of d.toString().split("\n")) {
        if (!line.trim()) continue;
        log.push(`${seconds(Date.now() - t0)} s ${line}`);
        console.log(`[bench] migrate: ${line}`);
      }
    };
    proc.stdout.on("data", keep);
    proc.stderr.on("data", keep);
    proc.once("exit", resolve);
  });
  const stepMs = Date.now() - t0;
  const serving = await stopServing();
  await api.stop();
  if (status !== 0) throw new Error(`migrate.mjs failed (${status}):\n${log.join("\n")}`);

  const after = await counts(owner);
  const [check] = await owner`select
    (select count(*)::int from engagements where contact_id is null) as engagements_without_contact,
    (select count(*)::int from calls where contact_id is null) as calls_without_contact,
    (select count(*)::int from leads where contact_id is null) as leads_without_contact,
    (select count(*)::int from engagements where message is not null) as legacy_messages_left,
    (select count(*)::int from bench_first_messages f where not exists (select 1 from messages m where m.tenant_id = f.tenant_id
      and m.engagement_id = f.engagement_id and m.kind = 'inbound' and m.author_type = 'customer' and m.body = f.body)) as first_messages_missing,
    (select count(*)::int from (select 1 from messages m join bench_first_messages f using (tenant_id, engagement_id)
      group by m.tenant_id, m.engagement_id having count(*) > 1) s) as threads_with_duplicates,
    (select count(*)::int from contact_handles where tenant_id <> ${tenant.id}) as handles_outside_probe,
    (select count(*)::int from (
      select distinct tenant_id, case when channel in ('whatsapp', 'voice') then 'phone' else channel::text end as kind, customer as value from engagements
      union select distinct tenant_id, 'phone', customer_phone from calls
      union select distinct tenant_id, 'email', email from leads where email is not null
      union select distinct tenant_id, 'phone', phone from leads where phone is not null) h where tenant_id <> ${tenant.id}) as distinct_handles_outside_probe,
    (select count(*)::int from contacts c where not exists (select 1 from contact_handles h where h.tenant_id = c.tenant_id and h.contact_id = c.id)) as contacts_without_handle,
    (select count(*)::int from calls c join engagements e on e.tenant_id = c.tenant_id and e.customer = c.customer_phone and e.channel in ('whatsapp', 'voice')
      where e.contact_id <> c.contact_id) as phone_split_across_contacts,
    (select count(*)::int from pg_index i join pg_class x on x.oid = i.indexrelid where x.relname = any(${stepIndexes}) and i.indisvalid) as valid_indexes,
    (select count(*)::int from pg_constraint where conname = any(${stepConstraints.map(([, n]) => n)}) and convalidated) as validated_constraints,
    (select count(*)::int from drizzle.switchboard_online_migrations where name >= '0014') as ledger_rows`;
  await owner`drop table bench_first_messages`;
  const expected = {
    engagements_without_contact: 0, calls_without_contact: 0, leads_without_contact: 0, legacy_messages_left: 0, first_messages_missing: 0,
    threads_with_duplicates: 0, contacts_without_handle: 0, phone_split_across_contacts: 0, valid_indexes: stepIndexes.length,
    validated_constraints: stepConstraints.length,
  };
  const failed = Object.entries(expected).filter(([k, v]) => check[k] !== v).map(([k]) => k);
  // One handle row per distinct handle the old rows carry (the probe's tenant aside: the app wrote there meanwhile).
  if (check.handles_outside_probe !== check.distinct_handles_outside_probe) failed.push("handles_outside_probe");
  const stepLines = log.filter((l) => /online migration/.test(l));
  console.log(`[bench] migration: ${seconds(stepMs)} s; checks ${failed.length ? `FAILED: ${failed.join(", ")}` : "passed"}; app meanwhile p50 ${serving.latencyMs.p50} ms, max ${serving.latencyMs.max} ms, ${serving.failures} failures`);
  return { generated, rewound, legacyMessages: legacy, rewindMs, stepMs, log: stepLines, after, check, checksPassed: failed.length === 0, failedChecks: failed, servingMeanwhile: serving };
}
