/** The API's router: just a map of domain routers. Add a domain by adding one line here. */
import { createTRPCRouter } from "./trpc";
import { authRouter } from "./routers/auth/auth.router";
import { tenantRouter } from "./routers/tenant/tenant.router";
import { tenantsRouter } from "./routers/tenants/tenants.router";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  tenant: tenantRouter,
  tenants: tenantsRouter,
});

export type AppRouter = typeof appRouter;
