import { useInfiniteQuery } from "@tanstack/react-query";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { cursorPages } from "../../lib/cursor-pages";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { AuditEntriesTable } from "../audit/audit-entries-table";

/** The tenant's own audit log (what its admins see under Audit log), newest first. */
export function TenantAudit({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = { tenantId, limit: 20 };
  const log = useInfiniteQuery(
    cursorPages(trpc.platform.tenants.audit.infiniteQueryKey(input), input, (i) => client.platform.tenants.audit.query(i)),
  );
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <ListStates
        query={log}
        isEmpty={items.length === 0}
        skeleton={{ rows: 5, columns: 6, label: "Loading the tenant's audit log…" }}
        errorTitle="Could not load the tenant's audit log"
        empty="Nothing has happened in this tenant yet."
      >
        <AuditEntriesTable items={items} label="Tenant audit log" />
      </ListStates>
      <LoadMore query={log} />
    </>
  );
}
