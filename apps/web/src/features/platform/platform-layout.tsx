import { useQuery } from "@tanstack/react-query";
import { Link, Outlet } from "@tanstack/react-router";
import { PageHeader } from "../../components/ui/page-header";
import { ErrorState, Loading } from "../../components/ui/states";
import { currentHost, hostUrl } from "../../lib/host";
import { useTRPC } from "../../lib/trpc";
import { platformAccess } from "./platform-access";

const tabClass =
  "inline-flex h-9 items-center rounded-md px-3 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 data-[status=active]:bg-brand/10 data-[status=active]:text-slate-900";

/** The platform console's frame: who may be here, and its two screens (tenants, the platform's audit log). */
export function PlatformLayout() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  if (!me.data) return <Loading />;
  const access = platformAccess(currentHost.tenantSlug, me.data.user);
  if (access !== "granted") return <PlatformRefused access={access} />;
  return (
    <div className="space-y-6">
      <nav aria-label="Platform" className="-mt-2 flex flex-wrap gap-1 border-b border-slate-200 pb-3">
        <Link to="/platform" activeOptions={{ exact: true }} className={tabClass}>
          Tenants
        </Link>
        <Link to="/platform/audit" className={tabClass}>
          Platform audit log
        </Link>
      </nav>
      <Outlet />
    </div>
  );
}

function PlatformRefused({ access }: { access: "tenant-host" | "not-admin" | "needs-mfa" }) {
  const link = "inline-flex h-9 items-center justify-center rounded-md bg-brand px-3.5 text-sm font-medium text-brand-contrast shadow-sm hover:bg-brand-hover";
  return (
    <div className="mx-auto max-w-lg py-8">
      <PageHeader title="Platform console" />
      {access === "tenant-host" ? (
        <ErrorState title="The platform console is not on a tenant's address" message="It lives on Switchboard's own address, where you pick a tenant. Sign in there.">
          <a href={hostUrl(null, currentHost, window.location, "/platform")} className={link}>
            Open the platform console
          </a>
        </ErrorState>
      ) : access === "needs-mfa" ? (
        <ErrorState
          title="Platform powers need two-factor authentication"
          message="Your account is a platform admin, but it acts as one only with two-factor authentication on. Turn it on, then come back."
        >
          <Link to="/security" className={link}>
            Set up two-factor authentication
          </Link>
        </ErrorState>
      ) : (
        <ErrorState
          title="Only platform admins can open the platform console"
          message="It is where the people who run this Switchboard manage every tenant. Your account is not one of them."
        >
          <Link to="/" className={link}>
            Your tenants
          </Link>
        </ErrorState>
      )}
    </div>
  );
}
