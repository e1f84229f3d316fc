/**
 * Prometheus metrics at /metrics: requests and latency by tRPC procedure, the database pool, outsiders' audit
 * entries dropped past the cap, and whatever other plugins register on `app.metrics.registry` (SSE subscribers,
 * event fan-out).
 */
import fp from "fastify-plugin";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

declare module "fastify" {
  interface FastifyInstance {
    metrics: {
      registry: Registry;
      /** Outsiders' `denied` audit entries dropped past the per-tenant cap (see audit.service.ts). */
      auditDenialsDropped: Counter;
    };
  }
  interface FastifyRequest {
    startedAt: bigint;
  }
}

export default fp<{ procedures: Set<string> }>(async function metrics(app, { procedures }) {
  const registry = new Registry();
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
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: "switchboard_db_pool_max",
    help: "Maximum connections in the database pool (0 on embedded PGlite)",
    registers: [registry],
    collect() {
      this.set(app.db.poolStats()?.max ?? 0);
    },
  });
  const auditDenialsDropped = new Counter({
    name: "switchboard_audit_denials_dropped_total",
    help: "Denied audit entries of non-members not written because the tenant's per-minute cap was reached",
    registers: [registry],
  });
  app.decorate("metrics", { registry, auditDenialsDropped });
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
