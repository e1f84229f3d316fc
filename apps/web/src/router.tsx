/**
 * Routes (code-based, type-safe). Edit here to add a screen: one `createRoute` with a lazily loaded component,
 * so each screen is its own chunk and the first load stays small.
 *
 *   /sign-in, /sign-up      signed-out screens
 *   (app)                   requires a session (auth.me; 401 → /sign-in); renders the top bar
 *     /                     tenant home on a tenant subdomain, tenant picker on the bare domain
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
import { ErrorState, Loading } from "./components/ui/states";
import { AppShell } from "./features/shell/app-shell";
import { errorMessage, isUnauthorized } from "./lib/errors";
import { currentHost } from "./lib/host";
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

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: (search: Record<string, unknown>): { reason?: string } =>
    typeof search.reason === "string" ? { reason: search.reason } : {},
  component: lazyRouteComponent(() => import("./features/auth/sign-in-page"), "SignInPage"),
});

const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-up",
  component: lazyRouteComponent(() => import("./features/auth/sign-up-page"), "SignUpPage"),
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: async ({ context }) => {
    try {
      await context.queryClient.ensureQueryData(context.trpc.auth.me.queryOptions());
    } catch (error) {
      if (isUnauthorized(error)) throw redirect({ to: "/sign-in" });
      throw error;
    }
  },
  component: AppShell,
  pendingComponent: () => (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <Loading />
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
    ? lazyRouteComponent(() => import("./features/tenants/tenant-home-page"), "TenantHomePage")
    : lazyRouteComponent(() => import("./features/tenants/tenant-picker-page"), "TenantPickerPage"),
});

const routeTree = rootRoute.addChildren([signInRoute, signUpRoute, appRoute.addChildren([homeRoute])]);

export const router = createRouter({
  routeTree,
  context: { queryClient, trpc },
  defaultPreload: "intent",
  defaultPendingMs: 300,
});

// A session that ends while a page is open (expired, signed out elsewhere): back to sign in.
queryClient.getQueryCache().subscribe((event) => {
  if (event.type !== "updated" || event.action.type !== "error" || !isUnauthorized(event.action.error)) return;
  // Only when signed in before: a first visit without a session is the guard's job (plain /sign-in).
  const wasSignedIn = queryClient.getQueryData(trpc.auth.me.queryKey()) !== undefined;
  const path = router.state.location.pathname;
  if (wasSignedIn && path !== "/sign-in" && path !== "/sign-up") {
    void router.navigate({ to: "/sign-in", search: { reason: "session-expired" } });
  }
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
