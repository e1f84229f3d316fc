/** The API's router: just a map of domain routers. Add a domain by adding one line here. */
import { createTRPCRouter } from "./trpc";
import { agentsRouter } from "./routers/agents/agents.router";
import { analyticsRouter } from "./routers/analytics/analytics.router";
import { authRouter } from "./routers/auth/auth.router";
import { callsRouter } from "./routers/calls/calls.router";
import { engagementsRouter } from "./routers/engagements/engagements.router";
import { leadsRouter } from "./routers/leads/leads.router";
import { tenantRouter } from "./routers/tenant/tenant.router";
import { tenantsRouter } from "./routers/tenants/tenants.router";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  tenant: tenantRouter,
  tenants: tenantsRouter,
  agents: agentsRouter,
  calls: callsRouter,
  leads: leadsRouter,
  engagements: engagementsRouter,
  analytics: analyticsRouter,
});

export type AppRouter = typeof appRouter;
