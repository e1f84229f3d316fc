import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button";
import { Card, CardTitle } from "../../components/ui/card";
import { cn } from "../../components/ui/cn";
import { Empty, ErrorState, Loading } from "../../components/ui/states";
import { errorMessage, isMfaRequired } from "../../lib/errors";
import { currentHost } from "../../lib/host";
import { tenantTree } from "../../lib/tenant-tree";
import { useTRPC } from "../../lib/trpc";
import { MyInvitations } from "../invitations/my-invitations";
import { CreateTenantForm } from "./create-tenant-form";
import { useSwitchTenant } from "./use-switch-tenant";

/** The bare domain's home: the user's tenants to open, and a form to create one. */
export function TenantPickerPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  const me = useQuery(trpc.auth.me.queryOptions());
  const switchTenant = useSwitchTenant();
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: async (tenant) => {
        setCreated(tenant.name);
        await queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() });
      },
    }),
  );
  const opening = switchTenant.isPending || switchTenant.isSuccess ? switchTenant.variables?.tenantId : undefined;

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-6">
        {me.data && <MyInvitations emailVerified={me.data.user.emailVerified} />}
        <Card>
          <CardTitle description="Each tenant has its own address, members and data.">Your tenants</CardTitle>
          {switchTenant.isError && (
            <div className="mb-4">
              <ErrorState title="Could not open that tenant" message={errorMessage(switchTenant.error)}>
                {isMfaRequired(switchTenant.error) && (
                  <Link to="/security" className="self-center text-sm font-medium text-brand hover:underline">
                    Set up two-factor authentication
                  </Link>
                )}
              </ErrorState>
            </div>
          )}
          {tenants.isPending ? (
            <Loading label="Loading your tenants…" />
          ) : tenants.isError ? (
            <ErrorState title="Could not load your tenants" message={errorMessage(tenants.error)} onRetry={() => void tenants.refetch()} />
          ) : tenants.data.items.length === 0 ? (
            <Empty>You are not a member of any tenant yet. Create one to get started.</Empty>
          ) : (
            <ul className="divide-y divide-slate-100" aria-label="Tenants">
              {tenantTree(tenants.data.items).map(({ tenant, depth }) => (
                <li key={tenant.id} className={cn("flex items-center gap-4 py-3", depth === 1 && "pl-6")}>
                  <div className="min-w-0 flex-1">
                    <p className="truncate font-medium text-slate-900">
                      {depth === 1 && <span aria-hidden="true" className="mr-1 text-slate-400">↳</span>}
                      {tenant.name}
                    </p>
                    <p className="truncate text-xs text-slate-500">
                      {tenant.slug}.{currentHost.baseDomain} · {tenant.role} · {tenant.memberCount}/{tenant.maxUsers} members
                    </p>
                  </div>
                  <Button
                    variant="secondary"
                    pending={opening === tenant.id}
                    disabled={opening !== undefined}
                    onClick={() => switchTenant.mutate({ tenantId: tenant.id })}
                    aria-label={`Open ${tenant.name}`}
                  >
                    Open
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card className="self-start">
        <CardTitle description="You become its owner.">Create a tenant</CardTitle>
        {created && !create.isPending && (
          <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
            Created {created}.
          </p>
        )}
        {/* A new key resets the form after each success. */}
        <CreateTenantForm
          key={created ?? ""}
          onSubmit={(v) => {
            setCreated(null);
            create.mutate(v);
          }}
          pending={create.isPending}
          error={create.error}
        />
      </Card>
    </div>
  );
}
