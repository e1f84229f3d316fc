/** /healthz: the process runs (no database). /readyz: the database answers and we are not draining. */
import fp from "fastify-plugin";

export default fp(async function health(app) {
  app.get("/healthz", { logLevel: "silent" }, async () => ({ status: "ok" }));
  app.get("/readyz", { logLevel: "silent" }, async (_request, reply) => {
    if (app.lifecycle.draining) return reply.code(503).send({ status: "draining" });
    try {
      await Promise.race([
        app.db.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000).unref()),
      ]);
      return { status: "ready" };
    } catch {
      return reply.code(503).send({ status: "database unavailable" });
    }
  });
});
