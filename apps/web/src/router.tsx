/**
 * Routes (code-based, type-safe). Edit here to add a screen: one `createRoute` with a lazily loaded component,
 * so each screen is its own chunk and the first load stays small (the signed-in shell is lazy too).
 *
 *   /sign-in, /sign-up            signed-out screens (?redirect= brings the user back afterwards)
 *   /forgot-password, /reset-password?token=, /verify-email?token=   the links mailed by the API (signed in or not)
 *   /invitations/accept?token=    accepting an invitation (signs in or up first); /invite/accept is an alias
 *   (app)                         requires a session (auth.me; 401 → /sign-in); renders the shell
 *     /                           tenant overview on a tenant subdomain, tenant picker on the bare domain
 *     /security                   the account's sessions, two-factor authentication and security log (any host)
 *     /platform                   the platform console (bare domain; platform admins with MFA, others are told why):
 *       /, /tenants/$tenantId, /audit?tenantId=   tenants, one tenant (plan, suspend, restore, its audit), the platform's log
 *     (tenant)                    tenant subdomains only (the bare domain has no tenant): every sidebar screen
 */
import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Link,
  Outlet,
  redirect,
} from "@tanstack/react-router";
import { Spinner } from "./components/ui/button";
import { ErrorState } from "./components/ui/states";
import { errorMessage, isUnauthorized } from "./lib/errors";
import { currentHost } from "./lib/host";
import { safeRedirect } from "./lib/safe-redirect";
import { queryClient, trpc } from "./lib/trpc";

export interface RouterContext {
  queryClient: QueryClient;
  trpc: typeof trpc;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: () => (
    <main className="mx-auto max-w-md px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <Link to="/" className="mt-4 inline-block text-sm font-medium text-brand hover:underline">
        Go home
      </Link>
    </main>
  ),
});

interface SignInSearch {
  reason?: string;
  redirect?: string;
}

function signInSearch(search: Record<string, unknown>): SignInSearch {
  const out: SignInSearch = {};
  if (typeof search.reason === "string") out.reason = search.reason;
  const back = safeRedirect(search.redirect);
  if (back) out.redirect = back;
  return out;
}

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: signInSearch,
  component: lazyRouteComponent(() => import("./features/auth/sign-in-page"), "SignInPage"),
});

const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-up",
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => {
    const back = safeRedirect(search.redirect);
    return back ? { redirect: back } : {};
  },
  component: lazyRouteComponent(() => import("./features/auth/sign-up-page"), "SignUpPage"),
});

const tokenSearch = (search: Record<string, unknown>): { token?: string } =>
  typeof search.token === "string" ? { token: search.token } : {};

const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/forgot-password",
  component: lazyRouteComponent(() => import("./features/auth/forgot-password-page"), "ForgotPasswordPage"),
});

const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reset-password",
  validateSearch: tokenSearch,
  component: lazyRouteComponent(() => import("./features/auth/reset-password-page"), "ResetPasswordPage"),
});

const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/verify-email",
  validateSearch: tokenSearch,
  component: lazyRouteComponent(() => import("./features/auth/verify-email-page"), "VerifyEmailPage"),
});

const acceptPage = lazyRouteComponent(() => import("./features/invitations/accept-invitation-page"), "AcceptInvitationPage");

const acceptInvitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invitations/accept",
  validateSearch: tokenSearch,
  component: acceptPage,
});

const acceptInviteAliasRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invite/accept",
  validateSearch: tokenSearch,
  component: acceptPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.ensureQueryData(context.trpc.auth.me.queryOptions());
    } catch (error) {
      if (isUnauthorized(error)) {
        const back = location.href === "/" ? undefined : safeRedirect(location.href);
        throw redirect({ to: "/sign-in", search: back ? { redirect: back } : {} });
      }
      throw error;
    }
  },
  component: lazyRouteComponent(() => import("./features/shell/app-shell"), "AppShell"),
  pendingComponent: () => (
    <div role="status" aria-label="Loading" className="flex min-h-screen items-center justify-center text-brand">
      <Spinner className="size-6" />
    </div>
  ),
  errorComponent: ({ error, reset }) => (
    <div className="mx-auto max-w-md px-4 py-16">
      <ErrorState title="Switchboard is not available" message={errorMessage(error)} onRetry={reset} />
    </div>
  ),
});

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  component: currentHost.tenantSlug
    ? lazyRouteComponent(() => import("./features/overview/overview-page"), "OverviewPage")
    : lazyRouteComponent(() => import("./features/tenants/tenant-picker-page"), "TenantPickerPage"),
});

/** The account's security: on every host, so a tenant that demands MFA can send people here. */
const securityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/security",
  component: lazyRouteComponent(() => import("./features/security/security-page"), "SecurityPage"),
});

/** The platform console; its layout decides who may see it (features/platform/platform-access.ts). */
const platformRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/platform",
  component: lazyRouteComponent(() => import("./features/platform/platform-layout"), "PlatformLayout"),
});

const platformTenantsRoute = createRoute({
  getParentRoute: () => platformRoute,
  path: "/",
  component: lazyRouteComponent(() => import("./features/platform/platform-tenants-page"), "PlatformTenantsPage"),
});

const platformTenantRoute = createRoute({
  getParentRoute: () => platformRoute,
  path: "/tenants/$tenantId",
  component: lazyRouteComponent(() => import("./features/platform/platform-tenant-page"), "PlatformTenantPage"),
});

const platformAuditRoute = createRoute({
  getParentRoute: () => platformRoute,
  path: "/audit",
  validateSearch: (search: Record<string, unknown>): { tenantId?: string } =>
    typeof search.tenantId === "string" && /^[0-9a-f-]{36}$/i.test(search.tenantId) ? { tenantId: search.tenantId } : {},
  component: lazyRouteComponent(() => import("./features/platform/platform-audit-page"), "PlatformAuditPage"),
});

/** Screens that only exist on a tenant's subdomain. */
const tenantRoute = createRoute({
  getParentRoute: () => appRoute,
  id: "tenant",
  beforeLoad: () => {
    if (!currentHost.tenantSlug) throw redirect({ to: "/" });
  },
  component: Outlet,
});

const membersRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/members",
  component: lazyRouteComponent(() => import("./features/members/members-page"), "MembersPage"),
});

const apiKeysRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/api-keys",
  component: lazyRouteComponent(() => import("./features/api-keys/api-keys-page"), "ApiKeysPage"),
});

const auditRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/audit",
  component: lazyRouteComponent(() => import("./features/audit/audit-page"), "AuditPage"),
});

const settingsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/settings",
  component: lazyRouteComponent(() => import("./features/settings/settings-page"), "SettingsPage"),
});

/** Settings → Data: exports, retention, erasing a contact, archiving (features/data). */
const dataRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/settings/data",
  component: lazyRouteComponent(() => import("./features/data/data-page"), "DataPage"),
});

const usageRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/usage",
  component: lazyRouteComponent(() => import("./features/usage/usage-page"), "UsagePage"),
});

const engagementsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/engagements",
  component: lazyRouteComponent(() => import("./features/engagements/engagements-page"), "EngagementsPage"),
});

const engagementRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/engagements/$engagementId",
  component: lazyRouteComponent(() => import("./features/engagements/conversation-page"), "ConversationPage"),
});

const contactsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/contacts",
  component: lazyRouteComponent(() => import("./features/contacts/contacts-page"), "ContactsPage"),
});

const contactRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/contacts/$contactId",
  component: lazyRouteComponent(() => import("./features/contacts/contact-detail-page"), "ContactDetailPage"),
});

const callsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/calls",
  component: lazyRouteComponent(() => import("./features/calls/calls-page"), "CallsPage"),
});

const callRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/calls/$callId",
  component: lazyRouteComponent(() => import("./features/calls/call-detail-page"), "CallDetailPage"),
});

const leadsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/leads",
  component: lazyRouteComponent(() => import("./features/leads/leads-page"), "LeadsPage"),
});

const agentsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/agents",
  component: lazyRouteComponent(() => import("./features/agents/agents-page"), "AgentsPage"),
});

const analyticsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/analytics",
  component: lazyRouteComponent(() => import("./features/analytics/analytics-page"), "AnalyticsPage"),
});

const integrationsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/integrations",
  component: lazyRouteComponent(() => import("./features/integrations/integrations-page"), "IntegrationsPage"),
});

const webhookDeliveriesRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: "/integrations/webhooks/$webhookId",
  component: lazyRouteComponent(() => import("./features/integrations/webhook-deliveries-page"), "WebhookDeliveriesPage"),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  verifyEmailRoute,
  acceptInvitationRoute,
  acceptInviteAliasRoute,
  appRoute.addChildren([homeRoute, securityRoute, platformRoute.addChildren([platformTenantsRoute, platformTenantRoute, platformAuditRoute]), tenantRoute.addChildren([
      engagementsRoute,
      engagementRoute,
      contactsRoute,
      contactRoute,
      callsRoute,
      callRoute,
      leadsRoute,
      agentsRoute,
      analyticsRoute,
      membersRoute,
      apiKeysRoute,
      integrationsRoute,
      webhookDeliveriesRoute,
      auditRoute,
      settingsRoute,
      dataRoute,
      usageRoute,
    ]),]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient, trpc },
  defaultPreload: "intent",
  defaultPendingMs: 300,
});

const signedOutPaths = new Set(["/sign-in", "/sign-up", "/forgot-password", "/reset-password", "/verify-email"]);

// A session that ends while a page is open (expired, signed out elsewhere): back to sign in.
queryClient.getQueryCache().subscribe((event) => {
  if (event.type !== "updated" || event.action.type !== "error" || !isUnauthorized(event.action.error)) return;
  // Only when signed in before: a first visit without a session is the guard's job (plain /sign-in).
  const wasSignedIn = queryClient.getQueryData(trpc.auth.me.queryKey()) !== undefined;
  const path = router.state.location.pathname;
  if (wasSignedIn && !signedOutPaths.has(path)) {
    void router.navigate({ to: "/sign-in", search: { reason: "session-expired" } });
  }
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
