import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useRouterState, useSearch } from "@tanstack/react-router";
import { Button } from "../../components/ui/button";
import { ErrorState, Loading } from "../../components/ui/states";
import { errorCode, errorMessage, isMfaRequired, isUnauthorized } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { AuthLayout } from "../auth/auth-layout";
import { useSwitchTenant } from "../tenants/use-switch-tenant";

/**
 * `/invitations/accept?token=…` (the link in the invitation email; `/invite/accept` too). Signed out: sign in or
 * up first and come back here. Signed in: one click accepts, then tenants.switch moves to the tenant.
 */
export function AcceptInvitationPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Two paths lead here (/invitations/accept, /invite/accept): read the search of whichever matched.
  const { token } = useSearch({ strict: false }) as { token?: string };
  const here = useRouterState({ select: (s) => s.location.href });
  const me = useQuery({ ...trpc.auth.me.queryOptions(), retry: false });
  const switchTenant = useSwitchTenant();
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: async ({ tenant }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() });
        switchTenant.mutate({ tenantId: tenant.id });
      },
    }),
  );
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        void me.refetch();
      },
    }),
  );

  if (!token) {
    return (
      <AuthLayout title="Invitation">
        <ErrorState title="This invitation link is incomplete" message="Open the link from your invitation email again, or ask for a new one." />
      </AuthLayout>
    );
  }

  if (me.isPending) {
    return (
      <AuthLayout title="Invitation">
        <Loading label="Checking your session…" />
      </AuthLayout>
    );
  }

  if (me.isError) {
    if (!isUnauthorized(me.error)) {
      return (
        <AuthLayout title="Invitation">
          <ErrorState title="Could not check your session" message={errorMessage(me.error)} onRetry={() => void me.refetch()} />
        </AuthLayout>
      );
    }
    return (
      <AuthLayout title="You have been invited">
        <p className="text-sm text-slate-600">Sign in with the email address the invitation was sent to, or create an account with it. You will come back here to accept.</p>
        <div className="mt-5 grid gap-2">
          <Link
            to="/sign-in"
            search={{ redirect: here }}
            className="inline-flex h-9 items-center justify-center rounded-md bg-brand px-3.5 text-sm font-medium text-brand-contrast shadow-sm hover:bg-brand-hover"
          >
            Sign in to accept
          </Link>
          <Link
            to="/sign-up"
            search={{ redirect: here }}
            className="inline-flex h-9 items-center justify-center rounded-md bg-white px-3.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
          >
            Create an account
          </Link>
        </div>
      </AuthLayout>
    );
  }

  const moving = accept.isSuccess && !switchTenant.isError;
  const wrongAccount = errorCode(accept.error) === "FORBIDDEN";
  return (
    <AuthLayout title="Accept your invitation">
      <p className="text-sm text-slate-600">
        You are signed in as <span className="font-medium text-slate-900">{me.data.user.email}</span>.
      </p>
      {accept.isError && (
        <div className="mt-4">
          <ErrorState title="Could not accept the invitation" message={errorMessage(accept.error)}>
            {wrongAccount && (
              <Button variant="secondary" pending={logout.isPending} onClick={() => logout.mutate()}>
                Use another account
              </Button>
            )}
          </ErrorState>
        </div>
      )}
      {switchTenant.isError && (
        <div className="mt-4">
          <ErrorState title="Accepted, but could not open the tenant" message={errorMessage(switchTenant.error)}>
            {isMfaRequired(switchTenant.error) ? (
              <Link to="/security" className="self-center text-sm font-medium text-brand hover:underline">
                Set up two-factor authentication
              </Link>
            ) : (
              <Link to="/" className="self-center text-sm font-medium text-brand hover:underline">
                Go to your tenants
              </Link>
            )}
          </ErrorState>
        </div>
      )}
      <Button className="mt-5 w-full" pending={accept.isPending || moving} disabled={accept.isSuccess} onClick={() => accept.mutate({ token })}>
        {moving ? "Opening the tenant…" : "Accept invitation"}
      </Button>
    </AuthLayout>
  );
}
