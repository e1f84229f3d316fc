/**
 * GET /auth/handoff?token=…: the arrival half of tenants.switch. Exchanges a single-use hand-off token for a
 * session cookie on this host (host-only cookies are per subdomain), then redirects to the dashboard.
 */
import { eq } from "drizzle-orm";
import fp from "fastify-plugin";
import { tenants, withScope } from "@switchboard/db";

export default fp(async function handoff(app) {
  app.get<{ Querystring: { token?: string } }>("/auth/handoff", async (request, reply) => {
    reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer");
    const slug = request.tenantSlug;
    const grant = await app.auth.consumeHandoff(String(request.query.token ?? ""));
    if (!grant || !slug) return reply.redirect("/sign-in?reason=link-expired");
    const [tenant] = await withScope(app.db, { tenantSlug: slug }, (tx) =>
      tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug)),
    );
    if (tenant?.id !== grant.targetTenantId) return reply.redirect("/sign-in?reason=link-expired");
    const session = await app.auth.createSession(grant.userId, {
      ip: request.ip,
      userAgent: request.headers["user-agent"] ?? null,
    });
    reply.setCookie(session.cookie.name, session.cookie.value, session.cookie.attributes);
    return reply.redirect("/");
  });
});
