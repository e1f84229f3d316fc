/** The API's router: just a map of domain routers. Add a domain by adding one line here. */
import { createTRPCRouter } from "./trpc";
import { apiKeysRouter } from "./routers/api-keys/api-keys.router";
import { auditRouter } from "./routers/audit/audit.router";
import { authRouter } from "./routers/auth/auth.router";
import { invitationsRouter } from "./routers/invitations/invitations.router";
import { membersRouter } from "./routers/members/members.router";
import { agentsRouter } from "./routers/agents/agents.router";
import { analyticsRouter } from "./routers/analytics/analytics.router";
import { callsRouter } from "./routers/calls/calls.router";
import { engagementsRouter } from "./routers/engagements/engagements.router";
import { leadsRouter } from "./routers/leads/leads.router";
import { tenantRouter } from "./routers/tenant/tenant.router";
import { tenantsRouter } from "./routers/tenants/tenants.router";
import { platformRouter } from "./routers/platform/platform.router";
import { messagesRouter } from "./routers/messages/messages.router";
import { contactsRouter } from "./routers/contacts/contacts.router";
import { cannedResponsesRouter } from "./routers/canned-responses/canned-responses.router";
import { labelsRouter } from "./routers/labels/labels.router";
import { availabilityRouter } from "./routers/availability/availability.router";
import { integrationsRouter } from "./routers/integrations/integrations.router";
import { webhooksRouter } from "./routers/webhooks/webhooks.router";
import { privacyRouter } from "./routers/privacy/privacy.router";
import { exportsRouter } from "./routers/exports/exports.router";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  tenant: tenantRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  apiKeys: apiKeysRouter,
  audit: auditRouter,
  agents: agentsRouter,
  calls: callsRouter,
  leads: leadsRouter,
  engagements: engagementsRouter,
  messages: messagesRouter,
  contacts: contactsRouter,
  cannedResponses: cannedResponsesRouter,
  labels: labelsRouter,
  availability: availabilityRouter,
  analytics: analyticsRouter,
  platform: platformRouter,
  integrations: integrationsRouter,
  webhooks: webhooksRouter,
  privacy: privacyRouter,
  exports: exportsRouter,
});

export type AppRouter = typeof appRouter;
