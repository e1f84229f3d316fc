// Child process of the webhooks bench (scripts/bench/webhooks.mjs, "fan-out through the outbox"), run with the tsx
// loader: commits `rate` message.created events per second through the real outbox — `recordWebhookEvent` as the app
// role inside the tenant's RLS scope, ONE transaction per event, as a service does after writing a message — spread
// round-robin over `targets` (tenants, each with its engagements as order keys). Open loop: an event due while
// `maxInFlight` transactions are open is skipped and counted. Each event's `data.createdAt` is taken just before its
// transaction starts, so commit → delivery measured from it is an upper bound.
// Protocol (IPC): → { type: "run", plan }  ← { type: "done", ids (of the committed events' data), failed, skipped, seconds }
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createDb, withScope } from "@switchboard/db";
import { recordWebhookEvent } from "../src/webhooks/outbox";
import { startProfile } from "./cpu-profile";

interface Plan {
  url: string;
  rate: number;
  seconds: number;
  /** Connections of the producer's pool (default 16). */
  connections?: number;
  maxInFlight?: number;
  targets: { tenantId: string; keys: string[] }[];
  /** Writes a V8 CPU profile of the run to this file. */
  profile?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(plan: Plan) {
  const db = await createDb({ url: plan.url, max: plan.connections ?? 16 });
  const profiler = plan.profile ? await startProfile() : null;
  const maxInFlight = plan.maxInFlight ?? 64;
  const total = Math.round(plan.rate * plan.seconds);
  const ids: string[] = [];
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const body = "A reply of ordinary length, long enough to look like a real message in a real conversation.";
  const started = Date.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * plan.rate));
    while (i < due) {
      const n = i++;
      if (inFlight >= maxInFlight) {
        skipped++;
        continue;
      }
      const target = plan.targets[n % plan.targets.length]!;
      const engagementId = target.keys[Math.floor(n / plan.targets.length) % target.keys.length]!;
      const data = {
        id: randomUUID(),
        engagementId,
        kind: "outbound",
        body,
        author: { type: "user", name: "Bench Agent" },
        createdAt: new Date().toISOString(),
      };
      inFlight++;
      const p = withScope(db, { tenantId: target.tenantId }, (tx) =>
        recordWebhookEvent(tx, target.tenantId, { type: "message.created", orderKey: engagementId, data }),
      )
        .then((queued) => {
          if (queued > 0) ids.push(data.id);
          else failed++;
        })
        .catch(() => {
          failed++;
        })
        .finally(() => {
          inFlight--;
          pending.delete(p);
        });
      pending.add(p);
    }
    await sleep(2);
  }
  await Promise.all(pending);
  const seconds = (Date.now() - started) / 1000;
  if (profiler) writeFileSync(plan.profile!, JSON.stringify(await profiler.stop()));
  await db.close();
  return { ids, failed, skipped, seconds };
}

process.on("message", (msg: { type: string; plan: Plan }) => {
  if (msg.type !== "run") return;
  void run(msg.plan).then(
    (result) => process.send!({ type: "done", ...result }),
    (err: unknown) => process.send!({ type: "done", error: String(err), ids: [], failed: 0, skipped: 0, seconds: 0 }),
  );
});
