import { useInfiniteQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { Card } from "../../components/ui/card";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { Empty } from "../../components/ui/states";
import { Input } from "../../components/ui/input";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { enumValues } from "../../lib/enums";
import { usePermissions } from "../../lib/roles";
import { cursorPages } from "../../lib/cursor-pages";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { AuditEntriesTable } from "./audit-entries-table";
import { type AuditFilters, type AuditResult, auditQueryInput, emptyAuditFilters } from "./audit-filters";

const resourceTypes = ["member", "invitation", "apiKey", "tenant", "agent", "call", "lead", "engagement"];
const auditResultLabel: Record<AuditResult, string> = { success: "Success", denied: "Denied" };
const auditResults = enumValues(auditResultLabel);

export function AuditPage() {
  const trpc = useTRPC();
  const perms = usePermissions();
  const [filters, setFilters] = useState<AuditFilters>(emptyAuditFilters);
  // Typing in the action box does not fire a request per key.
  const deferred = useDeferredValue(filters);
  const input = auditQueryInput(deferred);
  const client = useTRPCClient();
  const audit = useInfiniteQuery({
    ...cursorPages(trpc.audit.list.infiniteQueryKey(input), input, (i) => client.audit.list.query(i)),
    enabled: perms.canAdmin,
  });
  const set = <K extends keyof AuditFilters>(key: K, value: AuditFilters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const items = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = JSON.stringify(filters) !== JSON.stringify(emptyAuditFilters);

  if (!perms.loading && !perms.canAdmin) {
    return (
      <>
        <PageHeader title="Audit log" />
        <Empty>Only admins and owners can read the audit log.</Empty>
      </>
    );
  }

  return (
    <div>
      <PageHeader title="Audit log" description="Every change in this tenant, and every refused attempt." />
      <form
        aria-label="Audit filters"
        className="mb-4 grid gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-2 lg:grid-cols-5"
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="space-y-1 text-xs font-medium text-slate-600">
          Action
          <Input placeholder="e.g. members.add" value={filters.action} onChange={(e) => set("action", e.target.value)} />
        </label>
        <label className="space-y-1 text-xs font-medium text-slate-600">
          Resource
          <Select value={filters.resourceType} onChange={(e) => set("resourceType", e.target.value)}>
            <option value="">All resources</option>
            {resourceTypes.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </label>
        <label className="space-y-1 text-xs font-medium text-slate-600">
          Result
          <Select value={filters.result} onChange={(e) => set("result", e.target.value as AuditFilters["result"])}>
            <option value="">Any result</option>
            {auditResults.map((r) => (
              <option key={r} value={r}>
                {auditResultLabel[r]}
              </option>
            ))}
          </Select>
        </label>
        <label className="space-y-1 text-xs font-medium text-slate-600">
          From
          <Input type="date" value={filters.from} onChange={(e) => set("from", e.target.value)} />
        </label>
        <label className="space-y-1 text-xs font-medium text-slate-600">
          To
          <Input type="date" value={filters.to} onChange={(e) => set("to", e.target.value)} />
        </label>
      </form>
      <Card className="p-0">
        <ListStates
          query={audit}
          isEmpty={items.length === 0}
          skeleton={{ rows: 8, columns: 5, label: "Loading the audit log…" }}
          errorTitle="Could not load the audit log"
          empty={filtered ? "No entries match these filters." : "Nothing has happened here yet."}
        >
          <AuditEntriesTable items={items} label="Audit log entries" />
        </ListStates>
      </Card>
      <LoadMore query={audit} />
    </div>
  );
}
