import type { Context } from "../context";

/** The dashboard URL of a tenant, on the scheme and port the caller used. */
export function tenantUrl(ctx: Pick<Context, "baseDomain" | "request">, slug: string, path = "/"): string {
  return `${ctx.request.protocol}://${slug}.${ctx.baseDomain}${ctx.request.port}${path}`;
}
