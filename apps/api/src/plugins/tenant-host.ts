/**
 * Which tenant a request is for: the Host's subdomain under BASE_DOMAIN, else the `x-tenant` header.
 * Host comes from X-Forwarded-Host only when the connection is from a trusted proxy (Fastify's trustProxy).
 */
import fp from "fastify-plugin";
import { sendTrpcError } from "../errors";

declare module "fastify" {
  interface FastifyRequest {
    tenantSlug: string | null;
  }
}

const slugPattern = /^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/;

/** The tenant slug a host names under `baseDomain`, "" for the bare domain, null for any other host. */
export function slugFromHost(host: string, baseDomain: string): string | null {
  const name = host.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
  if (name === baseDomain) return "";
  if (!name.endsWith(`.${baseDomain}`)) return null;
  const label = name.slice(0, -(baseDomain.length + 1));
  return label;
}

export default fp<{ baseDomain: string }>(async function tenantHost(app, { baseDomain }) {
  app.decorateRequest("tenantSlug", null);
  app.addHook("onRequest", async (request, reply) => {
    const fromHost = slugFromHost(request.host, baseDomain);
    const header = request.headers["x-tenant"];
    const fromHeader = typeof header === "string" ? header.trim().toLowerCase() : null;
    const strict = request.url.startsWith("/trpc/");
    if (fromHost && !slugPattern.test(fromHost)) {
      if (!strict) return;
      return sendTrpcError(reply, "NOT_FOUND", "Unknown tenant host");
    }
    if (!strict) {
      request.tenantSlug = fromHost || null;
      return;
    }
    if (fromHeader !== null && fromHeader !== "" && !slugPattern.test(fromHeader)) {
      return sendTrpcError(reply, "BAD_REQUEST", "x-tenant must be a tenant slug");
    }
    if (fromHost && fromHeader && fromHost !== fromHeader) {
      return sendTrpcError(reply, "BAD_REQUEST", "x-tenant does not match the host's tenant");
    }
    request.tenantSlug = fromHost || fromHeader || null;
  });
});
