import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { SaveRow } from "../../components/ui/save-row";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { SettingsSection } from "../../components/ui/settings-section";
import { PageHeader } from "../../components/ui/page-header";
import { Skeleton, TableSkeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { errorMessage, formErrors } from "../../lib/errors";
import { currentHost } from "../../lib/host";
import { usePermissions } from "../../lib/roles";
import { useTRPC } from "../../lib/trpc";
import { CreateTenantForm } from "../tenants/create-tenant-form";
import { useSwitchTenant } from "../tenants/use-switch-tenant";
import { BrandingForm } from "./branding-form";
import { BusinessHoursForm } from "./business-hours-form";
import { CannedResponsesSettings } from "./canned-responses-settings";
import { FeaturesForm } from "./features-form";
import { LabelsSettings } from "./labels-settings";
import { RoutingForm } from "./routing-form";
import { SecurityForm } from "./security-form";
import { SlaForm } from "./sla-form";

/** The sections saved through tenant.update, one "Saved" at a time. */
type TenantSection = "branding" | "features" | "general" | "security" | "routing" | "businessHours" | "sla";

export function SettingsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const tenant = useQuery(trpc.tenant.current.queryOptions());
  const me = useQuery(trpc.auth.me.queryOptions());
  const [saved, setSaved] = useState<TenantSection | null>(null);
  const update = useMutation(
    trpc.tenant.update.mutationOptions({
      // tenant.current also carries what tenant.update does not answer (archiveGraceDays): merged, not replaced.
      onSuccess: (t) => queryClient.setQueryData(trpc.tenant.current.queryKey(), (old) => (old ? { ...old, ...t } : old)),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.tenant.current.queryKey() }),
    }),
  );
  const [which, setWhich] = useState<TenantSection | null>(null);
  const save = (section: TenantSection, input: Parameters<typeof update.mutate>[0]) => {
    setWhich(section);
    setSaved(null);
    update.mutate(input, { onSuccess: () => setSaved(section) });
  };
  const errorFor = (section: string) => (which === section ? update.error : null);
  const readOnly = !perms.canAdmin;

  if (tenant.isError) {
    return <ErrorState title="Could not load the settings" message={errorMessage(tenant.error)} onRetry={() => void tenant.refetch()} />;
  }
  const t = tenant.data;
  return (
    <div className="space-y-10">
      <PageHeader
        title="Settings"
        description={
          readOnly
            ? "You can see these settings; admins and owners change them."
            : "Security, conversations (routing, hours, SLA, labels, canned responses), branding, features and departments of this tenant."
        }
      />
      {!t ? (
        <div className="space-y-4">
          <Skeleton className="h-48 w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
      ) : (
        <>
          <SettingsSection id="general" title="General" description="The tenant's name as members see it.">
            <GeneralForm
              name={t.name}
              disabled={readOnly}
              pending={update.isPending && which === "general"}
              error={errorFor("general")}
              saved={saved === "general"}
              onSubmit={(name) => save("general", { name })}
            />
          </SettingsSection>
          <SettingsSection
            id="security"
            title="Security"
            description={t.parentId ? "What this department requires; its organisation's requirement applies here too." : "What this tenant and its departments require of members."}
          >
            <SecurityForm
              key={String(t.security.requireMfa)}
              requireMfa={t.security.requireMfa}
              ownMfaEnabled={me.data?.user.mfaEnabled ?? false}
              disabled={readOnly}
              pending={update.isPending && which === "security"}
              error={errorFor("security")}
              saved={saved === "security"}
              onSubmit={(security) => save("security", { security })}
            />
          </SettingsSection>
          <SettingsSection id="routing" title="Routing" description="Who gets a new conversation.">
            <RoutingForm
              key={JSON.stringify(t.routing)}
              routing={t.routing}
              disabled={readOnly}
              pending={update.isPending && which === "routing"}
              error={errorFor("routing")}
              saved={saved === "routing"}
              onSubmit={(routing) => save("routing", { routing })}
            />
          </SettingsSection>
          <SettingsSection id="business-hours" title="Business hours" description="When the team answers. First-response times count only these hours.">
            <BusinessHoursForm
              key={JSON.stringify(t.businessHours)}
              hours={t.businessHours}
              disabled={readOnly}
              pending={update.isPending && which === "businessHours"}
              error={errorFor("businessHours")}
              saved={saved === "businessHours"}
              onSubmit={(businessHours) => save("businessHours", { businessHours })}
            />
          </SettingsSection>
          <SettingsSection id="sla" title="First response" description="The SLA: how soon a new conversation gets its first reply, in business minutes.">
            <SlaForm
              key={JSON.stringify(t.sla)}
              sla={t.sla}
              disabled={readOnly}
              pending={update.isPending && which === "sla"}
              error={errorFor("sla")}
              saved={saved === "sla"}
              onSubmit={(sla) => save("sla", { sla })}
            />
          </SettingsSection>
          <SettingsSection id="labels" title="Labels" description="Tags for conversations, to filter the inbox by.">
            <LabelsSettings canEdit={!readOnly} />
          </SettingsSection>
          <SettingsSection id="canned-responses" title="Canned responses" description="Saved replies agents insert with / in the composer.">
            <CannedResponsesSettings canEdit={!readOnly} />
          </SettingsSection>
          <SettingsSection id="branding" title="Branding" description="Colors, logo and name applied to this tenant's whole dashboard.">
            <BrandingForm
              key={JSON.stringify(t.branding)}
              branding={t.branding}
              tenantName={t.name}
              disabled={readOnly}
              pending={update.isPending && which === "branding"}
              error={errorFor("branding")}
              saved={saved === "branding"}
              onSubmit={(branding) => save("branding", { branding })}
            />
          </SettingsSection>
          <SettingsSection id="features" title="Features" description="What this tenant uses of its plan: switch features off or lower limits. The plan itself is set by Switchboard; departments inherit these unless they override them.">
            <FeaturesForm
              key={JSON.stringify(t.features)}
              features={t.features}
              disabled={readOnly}
              pending={update.isPending && which === "features"}
              error={errorFor("features")}
              saved={saved === "features"}
              onSubmit={(features) => save("features", { features })}
            />
          </SettingsSection>
          {!t.parentId && (
            <SettingsSection id="departments" title="Departments" description="Sub-tenants with their own address, members and data. Your role here carries over.">
              <Departments tenantId={t.id} canCreate={perms.canAdmin} />
            </SettingsSection>
          )}
          {perms.canAdmin && (
            <SettingsSection id="data" title="Data" description="The life of this tenant's data, from export to erasure.">
              <p className="text-sm text-slate-700">
                Exports, how long transcripts and message texts are kept, erasing a contact and archiving the tenant are under{" "}
                <Link to="/settings/data" className="font-medium text-brand hover:underline">
                  Settings → Data
                </Link>
                .
              </p>
            </SettingsSection>
          )}
        </>
      )}
    </div>
  );
}

function GeneralForm({
  name,
  disabled,
  pending,
  error,
  saved,
  onSubmit,
}: {
  name: string;
  disabled: boolean;
  pending: boolean;
  error: unknown;
  saved: boolean;
  onSubmit: (name: string) => void;
}) {
  const [value, setValue] = useState(name);
  const errors = formErrors(error, ["name"] as const);
  return (
    <form
      aria-label="General"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(value);
      }}
    >
      <fieldset disabled={disabled} className="space-y-4">
        <FormError message={errors.form} />
        <Field label="Tenant name" error={errors.fields.name}>
          <Input name="name" value={value} onChange={(e) => setValue(e.target.value)} />
        </Field>
        {!disabled && (
          <SaveRow label="Save name" pending={pending} saved={saved} />
        )}
      </fieldset>
    </form>
  );
}

function Departments({ tenantId, canCreate }: { tenantId: string; canCreate: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const children = useQuery(trpc.tenant.children.queryOptions({ limit: 100 }));
  const switchTenant = useSwitchTenant();
  const [created, setCreated] = useState(0);
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: async () => {
        setCreated((n) => n + 1);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.tenant.children.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() }),
        ]);
      },
    }),
  );
  return (
    <div className="space-y-6">
      {children.isPending ? (
        <TableSkeleton rows={2} columns={3} label="Loading departments…" />
      ) : children.isError ? (
        <ErrorState title="Could not load the departments" message={errorMessage(children.error)} onRetry={() => void children.refetch()} />
      ) : children.data.items.length === 0 ? (
        <Empty>No departments yet.</Empty>
      ) : (
        <ul aria-label="Departments" className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
          {children.data.items.map((d) => (
            <li key={d.id} className="flex items-center gap-4 px-4 py-3">
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium text-slate-900">{d.name}</p>
                <p className="truncate text-xs text-slate-500">
                  {d.slug}.{currentHost.baseDomain} · {d.memberCount}/{d.maxUsers} members
                </p>
              </div>
              {d.status !== "active" && <Badge tone="warn">{d.status}</Badge>}
              <Button
                variant="secondary"
                aria-label={`Open ${d.name}`}
                pending={switchTenant.isPending && switchTenant.variables?.tenantId === d.id}
                onClick={() => switchTenant.mutate({ tenantId: d.id })}
              >
                Open
              </Button>
            </li>
          ))}
        </ul>
      )}
      {switchTenant.isError && <ErrorState title="Could not open the department" message={errorMessage(switchTenant.error)} />}
      {canCreate && (
        <div className="border-t border-slate-100 pt-5">
          <h3 className="mb-3 text-sm font-semibold text-slate-900">New department</h3>
          <CreateTenantForm
            key={created}
            kind="department"
            pending={create.isPending}
            error={create.error}
            onSubmit={(v) => create.mutate({ ...v, parentId: tenantId })}
          />
        </div>
      )}
    </div>
  );
}
