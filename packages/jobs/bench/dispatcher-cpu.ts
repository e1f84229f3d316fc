// Usage: cd packages/jobs && SB_TEST_DATABASE_URL=$(cat /work/coord/pg-url.txt) ../../apps/api/node_modules/.bin/tsx bench/dispatcher-cpu.ts [--rate 500] [--seconds 10] [--endpoints 100] [--keys 10] [--concurrency 64]
//
// CPU per webhook delivery of the dispatcher, the figure that stays put on a loaded machine (latency does not).
// This process runs only the dispatcher (as the API's worker does, app role, RLS scopes); a child process produces
// `rate` message.created events per second spread over `endpoints` tenants (one endpoint each) and `keys`
// engagements per tenant (deliveries of one engagement are ordered), written straight into the outbox as the
// owner; another child (scripts/bench/webhook-receivers.mjs) runs the receivers and checks every signature.
// Measured over the steady window after a 2 s warm-up: this process's CPU (process.cpuUsage), the CPU of its
// PostgreSQL backends (/proc/<pid>/stat of the app role's connections; the server must run on this machine), and
// the socket writes this process made to PostgreSQL — each per delivery.
import { fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createTestDatabase } from "@switchboard/db/testing";
import { createSecretBox } from "../../auth/src/crypto";
import { startWebhookDispatcher } from "../src/webhooks/dispatcher";
import { startProfile } from "./cpu-profile";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "10" },
    endpoints: { type: "string", default: "100" },
    keys: { type: "string", default: "10" },
    /** The dispatcher's `concurrency` (default: the dispatcher's own). */
    concurrency: { type: "string" },
    produce: { type: "string" },
    /** "owner": one batched statement per 10 ms as the owner (the dispatcher alone); "outbox": outbox-producer.ts, one
     * app-role transaction per event through recordWebhookEvent (the full bench's producer, measured as well). */
    producer: { type: "string", default: "owner" },
    /** Other connections LISTENing on this database (an API replica's live-event hub each): PostgreSQL signals every
     * listening backend of a database at each commit that notifies, whatever the channel. */
    listeners: { type: "string", default: "0" },
    /** Writes a V8 CPU profile of this process over the window to this file (.cpuprofile), and with
     * `--producer outbox` one of the producer's whole run next to it (….producer.cpuprofile). */
    profile: { type: "string" },
  },
});

if (values.produce) await produce(JSON.parse(values.produce) as ProducerPlan);
else await main();

interface ProducerPlan {
  url: string;
  rate: number;
  seconds: number;
  targets: { tenantId: string; webhookId: string; keys: string[] }[];
}

/** Child: every 10 ms one statement recording the tick's events (event + delivery + NOTIFY), as the outbox does. */
async function produce(plan: ProducerPlan) {
  const sql = postgres(plan.url, { max: 1, onnotice: () => {} });
  const perTick = plan.rate / 100;
  let owed = 0;
  let n = 0;
  const end = Date.now() + plan.seconds * 1000;
  const body = "A reply of ordinary length, long enough to look like a real message in a real conversation.";
  while (Date.now() < end) {
    const tickEnd = Date.now() + 10;
    owed += perTick;
    const count = Math.floor(owed);
    owed -= count;
    const tenants: string[] = [];
    const hooks: string[] = [];
    const keys: string[] = [];
    const events: string[] = [];
    for (let i = 0; i < count; i++, n++) {
      const t = plan.targets[n % plan.targets.length]!;
      tenants.push(t.tenantId);
      hooks.push(t.webhookId);
      keys.push(t.keys[Math.floor(n / plan.targets.length) % t.keys.length]!);
      events.push(randomUUID());
    }
    if (count > 0) {
      await sql`
        with input as (
          select * from unnest(${tenants}::uuid[], ${hooks}::uuid[], ${keys}::uuid[], ${events}::uuid[]) as u(tenant_id, webhook_id, order_key, event_id)
        ), ev as (
          insert into webhook_events (tenant_id, id, type, data)
          select tenant_id, event_id, 'message.created',
                 jsonb_build_object('id', gen_random_uuid(), 'engagementId', order_key, 'kind', 'outbound', 'body', ${body}::text,
                                    'author', jsonb_build_object('type', 'user', 'name', 'Bench Agent'), 'createdAt', now())
            from input
        ), d as (
          insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type, order_key)
          select tenant_id, webhook_id, event_id, 'message.created', order_key from input
        )
        select pg_notify('webhook_deliveries', '')`;
    }
    const wait = tickEnd - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  process.send!({ type: "produced", count: n });
  await sql.end();
}

function receivers() {
  const child = fork(fileURLToPath(new URL("../../../scripts/bench/webhook-receivers.mjs", import.meta.url)), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = <T>(msg: object, reply: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== reply) return;
        child.off("message", on);
        resolve(m as T);
      };
      child.on("message", on);
      child.send(msg);
    });
  return { child, ask };
}

/** Busy time of all cores since boot, ms (/proc/stat: everything but idle and iowait; 10 ms ticks). */
function machineBusyMs(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (f.reduce((a, b) => a + b, 0) - f[3]! - f[4]!) * 10;
}

/** utime + stime of a process, ms (clock ticks are 10 ms on Linux). */
function cpuOfPid(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

async function main() {
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const endpoints = Number(values.endpoints);
  const keysPer = Number(values.keys);
  const t = await createTestDatabase();
  if (!t.ownerUrl || !t.appUrl) throw new Error("Set SB_TEST_DATABASE_URL (a PostgreSQL on this machine)");
  const owner = postgres(t.ownerUrl!, { max: 2, onnotice: () => {} });
  const pgPort = Number(new URL(t.appUrl!).port);
  const box = createSecretBox([randomBytes(32)]);
  const r = receivers();
  try {
    const { ports } = await r.ask<{ ports: number[] }>({ type: "start", count: endpoints }, "ports");
    const secrets: Record<number, string> = {};
    const targets: ProducerPlan["targets"] = [];
    for (let i = 0; i < endpoints; i++) {
      const tenantId = randomUUID();
      const webhookId = randomUUID();
      const secret = `whsec_${randomBytes(32).toString("base64")}`;
      secrets[ports[i]!] = secret;
      await owner`insert into tenants (id, slug, name) values (${tenantId}, ${`bench-hooks-${i}`}, ${`Bench ${i}`})`;
      await owner`insert into webhook_endpoints (tenant_id, id, url, events, secret_ciphertext)
                  values (${tenantId}, ${webhookId}, ${`http://127.0.0.1:${ports[i]}/hook`}, ${["message.created"]},
                          ${box.seal(secret, `webhook:${tenantId}:${webhookId}`)})`;
      targets.push({ tenantId, webhookId, keys: Array.from({ length: keysPer }, () => randomUUID()) });
    }
    r.child.send({ type: "secrets", secrets });
    const listeners = await Promise.all(
      Array.from({ length: Number(values.listeners) }, async () => {
        const l = postgres(t.appUrl!, { max: 1, onnotice: () => {} });
        await l.listen("engagement_events_bench", () => {});
        return l;
      }),
    );

    // Socket writes to PostgreSQL from this process, and connections opened to the receivers (keep-alive reuse).
    let pgWrites = 0;
    let httpConnects = 0;
    const connect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const o = args[0] as { port?: number | string } | undefined;
      if (o && typeof o === "object" && Number(o.port) !== pgPort) httpConnects++;
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof connect;
    const write = net.Socket.prototype.write;
    net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
      if (this.remotePort === pgPort) pgWrites++;
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof write;

    let attempts = 0;
    let failures = 0;
    const dispatcher = await startWebhookDispatcher({
      db: t.app,
      secrets: box,
      allowHttpLocalhost: true,
      tenantLink: (slug, path) => `http://${slug}.localhost${path}`,
      log: { info() {}, warn() {}, error: (o: unknown, m: string) => console.error(m, o) },
      concurrency: values.concurrency ? Number(values.concurrency) : undefined,
      onAttempt: (a) => {
        attempts++;
        if (!a.ok) failures++;
      },
    });

    const outbox = values.producer === "outbox";
    const producerUrl = `${t.appUrl}${t.appUrl.includes("?") ? "&" : "?"}application_name=bench-producer`;
    const producer = outbox
      ? fork(fileURLToPath(new URL("./outbox-producer.ts", import.meta.url)), [], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] })
      : fork(fileURLToPath(import.meta.url), ["--produce", JSON.stringify({ url: t.ownerUrl, rate, seconds: seconds + 2, targets })], {
          execArgv: process.execArgv,
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        });
    const produced = new Promise<number>((resolve) =>
      producer.on("message", (m: { count?: number; ids?: string[]; failed?: number; skipped?: number; error?: string }) => {
        if (m.error) console.error("producer:", m.error);
        if (outbox) console.error(`producer: ${m.ids?.length} committed, ${m.failed} failed, ${m.skipped} skipped at the in-flight cap`);
        resolve(m.count ?? m.ids?.length ?? 0);
      }),
    );
    const profileProducer = values.profile && outbox ? values.profile.replace(/(\.cpuprofile)?$/, ".producer.cpuprofile") : undefined;
    if (outbox) producer.send({ type: "run", plan: { url: producerUrl, rate, seconds: seconds + 2, targets, profile: profileProducer } });

    const backends = async (app: string) =>
      (
        await owner<{ pid: number }[]>`select pid from pg_stat_activity
          where usename = ${new URL(t.appUrl!).username} and datname = ${new URL(t.appUrl!).pathname.slice(1)} and application_name = ${app}`
      ).map((row) => row.pid);
    await new Promise((res) => setTimeout(res, 2000));
    const [pids0, ppids0] = [await backends("switchboard"), await backends("bench-producer")];
    const pg0 = new Map([...pids0, ...ppids0].map((pid) => [pid, cpuOfPid(pid)]));
    const side0 = { producer: cpuOfPid(producer.pid!), receivers: cpuOfPid(r.child.pid!), machine: machineBusyMs() };
    const profiler = values.profile ? await startProfile() : null;
    const cpu0 = process.cpuUsage();
    const [n0, w0, c0, t0] = [attempts, pgWrites, httpConnects, Date.now()];
    await new Promise((res) => setTimeout(res, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    if (profiler) writeFileSync(values.profile!, JSON.stringify(await profiler.stop()));
    const [n1, w1, c1, t1] = [attempts, pgWrites, httpConnects, Date.now()];
    const side = {
      producer: cpuOfPid(producer.pid!) - side0.producer,
      receivers: cpuOfPid(r.child.pid!) - side0.receivers,
      machine: machineBusyMs() - side0.machine,
    };
    const [pids1, ppids1] = [await backends("switchboard"), await backends("bench-producer")];
    const cpuSince = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuOfPid(pid) - (pg0.get(pid) ?? 0), 0);
    const pgMs = cpuSince([...new Set([...pids0, ...pids1])]);
    const producerPgMs = cpuSince([...new Set([...ppids0, ...ppids1])]);

    const total = await produced;
    const drainEnd = Date.now() + 30_000;
    while (attempts - failures < total && Date.now() < drainEnd) await new Promise((res) => setTimeout(res, 100));
    await dispatcher.stop(5000);
    const report = await r.ask<{ deliveries: [string, string, string, number, number, number, number][]; badSignatures: number }>({ type: "report" }, "report");
    const lat = report.deliveries.map((d) => d[4] - d[3]).sort((a, b) => a - b);
    const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
    // Sequential scans of the webhook tables: the hot statements should read them by index only.
    const scans = await owner<{ relname: string; seq_scan: number; seq_tup_read: number; idx_scan: number }[]>`
      select relname, seq_scan::int, seq_tup_read::int, idx_scan::int from pg_stat_user_tables where relname like 'webhook%' order by relname`;
    const n = n1 - n0;
    const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    console.log(
      JSON.stringify(
        {
          rate,
          endpoints,
          keysPerEndpoint: keysPer,
          window: { seconds: (t1 - t0) / 1000, deliveries: n, perSecond: Math.round(n / ((t1 - t0) / 1000)) },
          dispatcherCpuMsPerDelivery: +((cpu.user + cpu.system) / 1000 / n).toFixed(3),
          postgresCpuMsPerDelivery: +(pgMs / n).toFixed(3),
          pgSocketWritesPerDelivery: +((w1 - w0) / n).toFixed(2),
          // Everything else on the machine in the same window, per delivery: the producer (its process and its
          // backends), the receivers, and the machine's busy time over all cores (/proc/stat).
          producerCpuMsPerDelivery: +(side.producer / n).toFixed(3),
          producerPostgresCpuMsPerDelivery: +(producerPgMs / n).toFixed(3),
          receiversCpuMsPerDelivery: +(side.receivers / n).toFixed(3),
          machineBusyMsPerDelivery: +(side.machine / n).toFixed(3),
          machineBusyPercent: Math.round((side.machine / ((t1 - t0) * cpus().length)) * 100),
          receiverConnectionsOpened: c1 - c0,
          produced: total,
          received: report.deliveries.length,
          duplicates: report.deliveries.reduce((s, d) => s + d[5] - 1, 0),
          badSignatures: report.badSignatures,
          failedAttempts: failures,
          latencyMs: { p50: pct(0.5), p99: pct(0.99) },
          loadavg: load,
          tableScans: Object.fromEntries(scans.map((x) => [x.relname, { seq: x.seq_scan, seqRows: x.seq_tup_read, idx: x.idx_scan }])),
        },
        null,
        2,
      ),
    );
    for (const l of listeners) await l.end({ timeout: 1 });
  } finally {
    r.child.kill();
    await owner.end({ timeout: 5 });
    await t.close();
  }
}
