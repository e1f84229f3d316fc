import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { cn } from "../../components/ui/cn";
import { MenuIcon, PanelIcon } from "../../components/ui/icons";
import { ErrorState } from "../../components/ui/states";
import { applyBranding } from "../../lib/branding";
import { isMfaRequired } from "../../lib/errors";
import { currentHost } from "../../lib/host";
import { usePermissions } from "../../lib/roles";
import { useTRPC } from "../../lib/trpc";
import { VerifyEmailBanner } from "../auth/verify-email-banner";
import { ClosedTenantNotice, TenantClosed } from "../tenant-status/tenant-closed";
import { tenantClosure } from "../tenant-status/tenant-closure";
import { TenantSwitcher } from "../tenants/tenant-switcher";
import { AvailabilitySwitch } from "./availability-switch";
import { Sidebar } from "./sidebar";
import { UserMenu } from "./user-menu";

const COLLAPSED_KEY = "sb.sidebar-collapsed";

function initiallyCollapsed(): boolean {
  const saved = localStorage.getItem(COLLAPSED_KEY);
  if (saved !== null) return saved === "1";
  // Tablets start with the icon rail, wider screens with the full sidebar.
  return !window.matchMedia("(min-width: 1280px)").matches;
}

/**
 * The signed-in frame. On a tenant subdomain: sidebar + top bar (tenant switcher, user menu), the tenant's
 * branding applied to the whole page. On the bare domain: the top bar only (the tenant picker).
 */
export function AppShell() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const onTenant = currentHost.tenantSlug !== null;
  const me = useQuery(trpc.auth.me.queryOptions());
  const tenant = useQuery({ ...trpc.tenant.current.queryOptions(), enabled: onTenant });
  const permissions = usePermissions();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  // A tenant with security.requireMfa refuses members without MFA: say so once, instead of an error per page
  // (the security page stays reachable here to turn it on).
  const mfaRefused = onTenant && isMfaRequired(tenant.error) && pathname !== "/security";
  // A suspended or archived tenant refuses its members everything: one page says so, without the sidebar's dead links.
  const closure = onTenant ? tenantClosure(tenant.error) : null;
  const withSidebar = onTenant && !closure;
  const [collapsed, setCollapsed] = useState(initiallyCollapsed);
  const [mobileOpen, setMobileOpen] = useState(false);
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: async () => {
        queryClient.clear();
        await navigate({ to: "/sign-in", search: { reason: "signed-out" } });
      },
    }),
  );

  const branding = tenant.data?.branding;
  useEffect(() => applyBranding(branding), [branding]);
  const displayName = tenant.data ? (tenant.data.branding.displayName ?? tenant.data.name) : null;
  useEffect(() => {
    document.title = displayName ? `${displayName} · Switchboard` : "Switchboard";
  }, [displayName]);

  function toggleCollapsed() {
    setCollapsed((c) => {
      localStorage.setItem(COLLAPSED_KEY, c ? "0" : "1");
      return !c;
    });
  }

  const userMenu = me.data ? (
    <UserMenu
      name={me.data.user.name}
      email={me.data.user.email}
      role={permissions.role}
      platformAdmin={me.data.user.isPlatformAdmin}
      onSignOut={() => logout.mutate()}
    />
  ) : (
    <span className="size-8 rounded-full bg-slate-200" aria-hidden="true" />
  );

  return (
    <div className="min-h-screen bg-slate-50">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      {withSidebar && (
        <>
          {/* Phones: the sidebar opens over the page. */}
          {mobileOpen && <div className="fixed inset-0 z-30 bg-slate-900/30 md:hidden" aria-hidden="true" onClick={() => setMobileOpen(false)} />}
          <aside
            id="sidebar"
            aria-label="Sidebar"
            className={cn(
              "fixed inset-y-0 left-0 z-40 border-r border-slate-200 bg-white transition-[width,transform] duration-200",
              collapsed ? "md:w-16" : "md:w-60",
              "w-64 md:translate-x-0",
              mobileOpen ? "translate-x-0" : "-translate-x-full",
            )}
          >
            <Sidebar
              collapsed={collapsed && !mobileOpen}
              permissions={permissions}
              tenantName={displayName}
              logoUrl={branding?.logoUrl}
              onNavigate={() => setMobileOpen(false)}
            />
          </aside>
        </>
      )}
      <div className={cn("flex min-h-screen flex-col transition-[padding] duration-200", withSidebar && (collapsed ? "md:pl-16" : "md:pl-60"))}>
        <header className="sticky top-0 z-20 flex h-14 shrink-0 items-center gap-2 border-b border-slate-200 bg-white/90 px-3 backdrop-blur sm:gap-3 sm:px-4">
          {withSidebar ? (
            <>
              <button
                type="button"
                className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 md:hidden"
                aria-label="Open navigation"
                aria-controls="sidebar"
                aria-expanded={mobileOpen}
                onClick={() => setMobileOpen((o) => !o)}
              >
                <MenuIcon />
              </button>
              <button
                type="button"
                className="hidden rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 md:block"
                aria-label={collapsed ? "Expand sidebar" : "Collapse sidebar"}
                aria-controls="sidebar"
                aria-expanded={!collapsed}
                onClick={toggleCollapsed}
              >
                <PanelIcon />
              </button>
            </>
          ) : (
            <span className="flex items-center gap-2 text-sm font-semibold text-slate-900">
              <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-brand text-xs font-bold text-brand-contrast">
                S
              </span>
              {/* A closed tenant's header also carries its slug in the switcher: phones keep the name for screen readers. */}
              <span className={cn(onTenant && "sr-only sm:not-sr-only")}>Switchboard</span>
            </span>
          )}
          <TenantSwitcher currentName={tenant.data?.name ?? null} />
          <div className="ml-auto flex items-center gap-2 sm:gap-3">
            {/* Agents and above take conversations: their availability sits next to who they are. */}
            {onTenant && !mfaRefused && !closure && permissions.canWrite && me.data && <AvailabilitySwitch userId={me.data.user.id} />}
            {userMenu}
          </div>
        </header>
        {me.data && !me.data.user.emailVerified && <VerifyEmailBanner email={me.data.user.email} />}
        {tenant.data && tenant.data.status !== "active" && <ClosedTenantNotice status={tenant.data.status} />}
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 focus:outline-none md:px-8">
          {closure && pathname !== "/security" ? (
            <TenantClosed closure={closure} slug={currentHost.tenantSlug!} />
          ) : mfaRefused ? (
            <MfaRequired />
          ) : (
            <Outlet />
          )}
        </main>
      </div>
    </div>
  );
}

/** What a tenant that requires two-factor authentication shows a member without it. */
function MfaRequired() {
  return (
    <div className="mx-auto max-w-lg py-8">
      <h1 className="mb-4 text-2xl font-semibold tracking-tight text-slate-900">Two-factor authentication required</h1>
      <ErrorState
        title="This tenant requires two-factor authentication"
        message="Its admins require every member to sign in with a code from an authenticator app. Turn it on for your account, then come back."
      >
        <Link
          to="/security"
          className="inline-flex h-9 items-center justify-center rounded-md bg-brand px-3.5 text-sm font-medium text-brand-contrast shadow-sm hover:bg-brand-hover"
        >
          Set up two-factor authentication
        </Link>
      </ErrorState>
    </div>
  );
}
