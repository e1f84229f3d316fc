import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Outlet, useNavigate } from "@tanstack/react-router";
import { Button } from "../../components/ui/button";
import { brandStyle } from "../../lib/branding";
import { currentHost } from "../../lib/host";
import { useTRPC } from "../../lib/trpc";
import { TenantSwitcher } from "../tenants/tenant-switcher";

/** The signed-in frame: top bar (product, tenant switcher, user, sign out) and the page; tenant branding applied. */
export function AppShell() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useQuery(trpc.auth.me.queryOptions());
  const tenant = useQuery({ ...trpc.tenant.current.queryOptions(), enabled: currentHost.tenantSlug !== null });
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: async () => {
        queryClient.clear();
        await navigate({ to: "/sign-in", search: { reason: "signed-out" } });
      },
    }),
  );
  return (
    <div style={brandStyle(tenant.data?.branding.primaryColor)} className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-5xl items-center gap-4 px-4">
          <span className="flex items-center gap-2 text-sm font-semibold text-slate-900">
            <span aria-hidden="true" className="size-3 rounded-full bg-brand" />
            Switchboard
          </span>
          <TenantSwitcher currentName={tenant.data?.name ?? null} />
          <div className="ml-auto flex items-center gap-3">
            {me.data && (
              <span className="hidden text-sm text-slate-600 sm:inline" title={me.data.user.email}>
                {me.data.user.name}
              </span>
            )}
            <Button variant="ghost" pending={logout.isPending} onClick={() => logout.mutate()}>
              Sign out
            </Button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-8">
        <Outlet />
      </main>
    </div>
  );
}
