/**
 * Security headers (helmet) on every response: the app's policy, or a route's own (`{ helmet: { … } }` in its
 * options, merged over the app's as @fastify/helmet did; `helmet: false` sends none).
 *
 * Each policy's middleware is built ONCE, when the app or the route is registered. @fastify/helmet built helmet's
 * middleware anew for every request (parsing the Content-Security-Policy directives each time): a few percent of
 * the API's CPU per request on calls.list (bench/README.md, issue #12). Depends on helmet 8's middleware being
 * reusable (it keeps no per-request state) and setting its headers synchronously on the Node response.
 */
import fp from "fastify-plugin";
import type { RawServerBase, RawServerDefault } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

declare module "fastify" {
  interface RouteShorthandOptions<
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the type parameters must match Fastify's declaration
    RawServer extends RawServerBase = RawServerDefault,
  > {
    /** This route's security headers: merged over the app's; false for none. */
    helmet?: HelmetOptions | false;
  }
  interface FastifyContextConfig {
    /** Set by the security-headers plugin from the route's `helmet` option. */
    securityHeaders?: ReturnType<typeof helmet> | null;
  }
}

export default fp<HelmetOptions>(async function securityHeaders(app, options) {
  const everywhere = helmet(options);
  app.addHook("onRoute", (route) => {
    if (route.helmet === undefined) return;
    route.config = {
      ...route.config,
      securityHeaders: route.helmet === false ? null : helmet({ ...options, ...route.helmet } as HelmetOptions),
    };
  });
  app.addHook("onRequest", (request, reply, done) => {
    const own = request.routeOptions.config.securityHeaders;
    const headers = own === undefined ? everywhere : own;
    if (!headers) return done();
    headers(request.raw, reply.raw, (err) => done(err as Error | undefined));
  });
});
