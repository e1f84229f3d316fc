import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "../../components/ui/button";
import { Card, CardTitle } from "../../components/ui/card";
import { ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { formatDate } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { useSwitchTenant } from "../tenants/use-switch-tenant";

/**
 * The tenant picker's pending invitations (invitations.mine: addressed to the signed-in, verified address), each
 * accepted with one click, which then opens the tenant. Nothing is shown while there are none.
 */
export function MyInvitations({ emailVerified }: { emailVerified: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery({ ...trpc.invitations.mine.queryOptions(), enabled: emailVerified });
  const switchTenant = useSwitchTenant();
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: async ({ tenant }) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.invitations.mine.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
        ]);
        switchTenant.mutate({ tenantId: tenant.id });
      },
    }),
  );

  if (!emailVerified) {
    return (
      <Card>
        <CardTitle>Invitations</CardTitle>
        <p className="text-sm text-slate-600">Verify your email address to see the invitations sent to it. The link is in the mail we sent you.</p>
      </Card>
    );
  }
  if (mine.isError) {
    return <ErrorState title="Could not load your invitations" message={errorMessage(mine.error)} onRetry={() => void mine.refetch()} />;
  }
  const items = mine.data?.items ?? [];
  if (items.length === 0) return null;
  const busy = accept.isPending || switchTenant.isPending || (accept.isSuccess && !switchTenant.isError);
  return (
    <Card>
      <CardTitle description="Accept to join with the role you were given.">Invitations</CardTitle>
      {accept.isError && (
        <div className="mb-4">
          <ErrorState title="Could not accept the invitation" message={errorMessage(accept.error)} />
        </div>
      )}
      {switchTenant.isError && (
        <div className="mb-4">
          <ErrorState title="Accepted, but could not open the tenant" message={errorMessage(switchTenant.error)} />
        </div>
      )}
      <ul className="divide-y divide-slate-100" aria-label="Invitations">
        {items.map((i) => (
          <li key={i.id} className="flex items-center gap-4 py-3">
            <div className="min-w-0 flex-1">
              <p className="truncate font-medium text-slate-900">{i.tenant.name}</p>
              <p className="truncate text-xs text-slate-500">
                as <span className="capitalize">{i.role}</span> · expires {formatDate(i.expiresAt)}
              </p>
            </div>
            <Button
              pending={busy && accept.variables && "id" in accept.variables && accept.variables.id === i.id}
              disabled={busy}
              aria-label={`Accept invitation to ${i.tenant.name}`}
              onClick={() => accept.mutate({ id: i.id })}
            >
              Accept
            </Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
