import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useDeferredValue, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Card } from "../../components/ui/card";
import { Input } from "../../components/ui/input";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { cursorPages } from "../../lib/cursor-pages";
import { formatBytes, formatDate, humanize } from "../../lib/format";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import {
  noTenantFilters,
  type PlatformTenant,
  type TenantFilters,
  tenantStatuses,
  tenantStatusTone,
  tenantsQueryInput,
  tierLabel,
  tiers,
} from "./platform-meta";

const count = new Intl.NumberFormat();

/** Every tenant on the platform (organisations and departments), by slug: search, filters, and what each uses. */
export function PlatformTenantsPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [filters, setFilters] = useState<TenantFilters>(noTenantFilters);
  // Typing in the search box does not fire a request per key.
  const input = tenantsQueryInput(useDeferredValue(filters));
  const list = useInfiniteQuery(
    cursorPages(trpc.platform.tenants.list.infiniteQueryKey(input), input, (i) => client.platform.tenants.list.query(i)),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const set = <K extends keyof TenantFilters>(key: K, value: TenantFilters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const filtered = JSON.stringify(filters) !== JSON.stringify(noTenantFilters);

  return (
    <div>
      <PageHeader title="Tenants" description="Every organisation and department on this Switchboard, with what it uses." />
      <form
        aria-label="Tenant filters"
        role="search"
        className="mb-4 grid gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-[1fr_12rem_12rem]"
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="space-y-1 text-xs font-medium text-slate-600">
          Search
          <Input type="search" placeholder="Name or slug" maxLength={100} value={filters.q} onChange={(e) => set("q", e.target.value)} />
        </label>
        <label className="space-y-1 text-xs font-medium text-slate-600">
          Status
          <Select value={filters.status} onChange={(e) => set("status", e.target.value as TenantFilters["status"])}>
            <option value="">Any status</option>
            {tenantStatuses.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </Select>
        </label>
        <label className="space-y-1 text-xs font-medium text-slate-600">
          Tier
          <Select value={filters.tier} onChange={(e) => set("tier", e.target.value as TenantFilters["tier"])}>
            <option value="">Any tier</option>
            {tiers.map((t) => (
              <option key={t} value={t}>
                {tierLabel[t]}
              </option>
            ))}
          </Select>
        </label>
      </form>
      <Card className="p-0">
        <ListStates
          query={list}
          isEmpty={items.length === 0}
          skeleton={{ rows: 8, columns: 7, label: "Loading tenants…" }}
          errorTitle="Could not load the tenants"
          empty={filtered ? "No tenant matches these filters." : "There are no tenants yet."}
        >
          <Table label="Tenants">
            <THead>
              <tr>
                <Th>Tenant</Th>
                <Th>Tier</Th>
                <Th>Status</Th>
                <Th className="text-right">Members</Th>
                <Th className="text-right">Agents</Th>
                <Th className="text-right">Requests, last hour</Th>
                <Th className="text-right">Storage</Th>
                <Th>Created</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((t) => (
                <TenantRow key={t.id} t={t} />
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>
      <LoadMore query={list} />
    </div>
  );
}

function TenantRow({ t }: { t: PlatformTenant }) {
  return (
    <Tr data-tenant-slug={t.slug}>
      <Td>
        <Link
          to="/platform/tenants/$tenantId"
          params={{ tenantId: t.id }}
          className="block max-w-64 truncate font-medium text-slate-900 hover:text-brand hover:underline"
        >
          {t.name}
        </Link>
        <span className="block max-w-64 truncate font-mono text-xs text-slate-500">
          {t.slug}
          {t.parentId && <span className="font-sans"> · department</span>}
        </span>
      </Td>
      <Td>{tierLabel[t.tier]}</Td>
      <Td>
        <Badge tone={tenantStatusTone[t.status]}>{humanize(t.status)}</Badge>
      </Td>
      <Td className="text-right tabular-nums whitespace-nowrap">
        {count.format(t.usage.members)} / {count.format(t.maxUsers)}
      </Td>
      <Td className="text-right tabular-nums">{count.format(t.usage.agents)}</Td>
      <Td className="text-right tabular-nums">{count.format(t.usage.requestsLastHour)}</Td>
      <Td className="text-right tabular-nums whitespace-nowrap">{formatBytes(t.usage.storageBytes)}</Td>
      <Td className="whitespace-nowrap">{formatDate(t.createdAt)}</Td>
    </Tr>
  );
}
