/**
 * Prometheus metrics at /metrics: HTTP requests and latency by tRPC procedure (a batched request is "batch"),
 * every procedure call one by one with its latency, batched or not (`ctx.onProcedure`), the database pool (size,
 * connections in use, transactions waiting for one) and transaction durations, outsiders' audit entries dropped
 * past the cap, and whatever other plugins register on `app.metrics.registry` (SSE subscribers, event fan-out).
 */
import fp from "fastify-plugin";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Context } from "@switchboard/trpc";
import { observeTransactions } from "../db-observer";

declare module "fastify" {
  interface FastifyInstance {
    metrics: {
      registry: Registry;
      /** Outsiders' `denied` audit entries dropped past the per-tenant cap (see audit.service.ts). */
      auditDenialsDropped: Counter;
      /** Counts and times one procedure call (the tRPC context's `onProcedure`). */
      procedureCall: NonNullable<Context["onProcedure"]>;
    };
  }
  interface FastifyRequest {
    startedAt: bigint;
  }
}

export default fp<{ procedures: Set<string> }>(async function metrics(app, { procedures }) {
  const registry = new Registry();
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "switchboard_requests_total",
    help: "HTTP requests by tRPC procedure (or route) and status",
    labelNames: ["procedure", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "switchboard_request_duration_seconds",
    help: "HTTP request latency by tRPC procedure (or route)",
    labelNames: ["procedure"] as const,
    buckets,
    registers: [registry],
  });
  const calls = new Counter({
    name: "switchboard_procedure_calls_total",
    help: "tRPC procedure calls by procedure, kind and tRPC code (OK on success), each call of a batch counted",
    labelNames: ["procedure", "type", "code"] as const,
    registers: [registry],
  });
  const callDuration = new Histogram({
    name: "switchboard_procedure_duration_seconds",
    help: "tRPC procedure call latency by procedure, each call of a batch on its own (a subscription: until its stream starts)",
    labelNames: ["procedure"] as const,
    buckets,
    registers: [registry],
  });
  const procedureCall: NonNullable<Context["onProcedure"]> = ({ path, type, seconds, code }) => {
    calls.inc({ procedure: path, type, code });
    callDuration.observe({ procedure: path }, seconds);
  };

  const poolMax = () => app.db.poolStats()?.max ?? 0;
  const transactions = observeTransactions(app.db);
  new Gauge({
    name: "switchboard_db_pool_max",
    help: "Maximum connections in the database pool (0 on embedded PGlite)",
    registers: [registry],
    collect() {
      this.set(poolMax());
    },
  });
  new Gauge({
    name: "switchboard_db_pool_in_use",
    help: "Pooled connections held by a transaction (on embedded PGlite: transactions running)",
    registers: [registry],
    collect() {
      const max = poolMax();
      this.set(max ? Math.min(transactions.active, max) : transactions.active);
    },
  });
  new Gauge({
    name: "switchboard_db_pool_waiting",
    help: "Transactions waiting for a pooled connection (started beyond the pool's size)",
    registers: [registry],
    collect() {
      const max = poolMax();
      this.set(max ? Math.max(0, transactions.active - max) : 0);
    },
  });
  const transactionDuration = new Histogram({
    name: "switchboard_db_transaction_duration_seconds",
    help: "Database transaction duration, BEGIN to COMMIT or ROLLBACK (waiting for a connection included), by outcome",
    labelNames: ["outcome"] as const,
    buckets,
    registers: [registry],
  });
  const onTransaction = (seconds: number, outcome: "commit" | "rollback") => transactionDuration.observe({ outcome }, seconds);
  transactions.listeners.add(onTransaction);
  app.addHook("onClose", async () => {
    transactions.listeners.delete(onTransaction);
  });
  const auditDenialsDropped = new Counter({
    name: "switchboard_audit_denials_dropped_total",
    help: "Denied audit entries of non-members not written because the tenant's per-minute cap was reached",
    registers: [registry],
  });
  app.decorate("metrics", { registry, auditDenialsDropped, procedureCall });
  app.decorateRequest("startedAt", 0n);

  /** A bounded label: a known procedure, "batch", or the route pattern. */
  function label(url: string, route: string | undefined): string {
    const path = url.split("?")[0]!;
    if (path.startsWith("/trpc/")) {
      const names = path.slice(6).split(",");
      if (names.length > 1) return "batch";
      return procedures.has(names[0]!) ? names[0]! : "unknown";
    }
    return route ?? "unmatched";
  }

  app.addHook("onRequest", async (request) => {
    request.startedAt = process.hrtime.bigint();
  });
  app.addHook("onResponse", async (request, reply) => {
    const procedure = label(request.url, request.routeOptions.url);
    requests.inc({ procedure, status: String(reply.statusCode) });
    duration.observe({ procedure }, Number(process.hrtime.bigint() - request.startedAt) / 1e9);
  });
  // Scraped on the pod's address. A request that came through the ingress (it adds X-Forwarded-For) is refused,
  // so tenant hosts do not publish the process's figures to the internet.
  app.get("/metrics", { logLevel: "silent" }, async (request, reply) => {
    if (request.headers["x-forwarded-for"] !== undefined) return reply.code(404).send({ error: "Not found" });
    reply.type(registry.contentType);
    return registry.metrics();
  });
});
