/**
 * Serves the built dashboard (single-process mode): static assets with long caching, index.html for every
 * other GET that is not an API path (client-side routing).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import fp from "fastify-plugin";

export default fp<{ root: string }>(async function web(app, { root }) {
  if (!existsSync(join(root, "index.html"))) {
    app.log.warn({ root }, "dashboard build not found; serving the API only");
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    setHeaders(res, path) {
      res.header("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  app.setNotFoundHandler((request, reply) => {
    const apiPath = /^\/(trpc|healthz|readyz|metrics|auth)(\/|$)/.test(request.url);
    if (request.method !== "GET" || apiPath) return reply.code(404).send({ error: "Not found" });
    return reply.header("cache-control", "no-cache").sendFile("index.html");
  });
});
