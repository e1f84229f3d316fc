import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Card } from "../../components/ui/card";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { PageHeader } from "../../components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { cursorPages } from "../../lib/cursor-pages";
import { formatDateTime } from "../../lib/format";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { detailLines } from "./audit-details";

const route = getRouteApi("/app/platform/audit");

/** What platform admins (and the purge job) did to tenants: plan changes, suspensions, restores, purges. */
export function PlatformAuditPage() {
  const { tenantId } = route.useSearch();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = { limit: 50, ...(tenantId ? { tenantId } : {}) };
  const log = useInfiniteQuery(cursorPages(trpc.platform.audit.infiniteQueryKey(input), input, (i) => client.platform.audit.query(i)));
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <PageHeader
        title="Platform audit log"
        description={
          tenantId ? (
            <>
              Actions on one tenant.{" "}
              <Link to="/platform/audit" search={{}} className="font-medium text-brand hover:underline">
                Show all
              </Link>
            </>
          ) : (
            "Every action of the platform on a tenant. Each is in that tenant's own audit log too."
          )
        }
      />
      <Card className="p-0">
        <ListStates
          query={log}
          isEmpty={items.length === 0}
          skeleton={{ rows: 8, columns: 5, label: "Loading the platform audit log…" }}
          errorTitle="Could not load the platform audit log"
          empty={tenantId ? "The platform has not acted on this tenant." : "The platform has not acted on any tenant yet."}
        >
          <Table label="Platform audit log entries">
            <THead>
              <tr>
                <Th>When</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Tenant</Th>
                <Th>Details</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((e) => (
                <Tr key={e.id}>
                  <Td className="whitespace-nowrap">
                    <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </Td>
                  <Td>
                    <span className="block max-w-56 truncate" title={e.actor.label}>
                      {e.actor.label}
                    </span>
                  </Td>
                  <Td>
                    <code className="font-mono text-xs text-slate-800">{e.action}</code>
                  </Td>
                  <Td>
                    {e.targetTenant ? (
                      <>
                        <Link
                          to="/platform/tenants/$tenantId"
                          params={{ tenantId: e.targetTenant.id }}
                          className="block max-w-48 truncate font-medium text-brand hover:underline"
                        >
                          {e.targetTenant.name}
                        </Link>
                        <span className="block max-w-48 truncate font-mono text-xs text-slate-500">{e.targetTenant.slug}</span>
                      </>
                    ) : (
                      // Purged: the entry outlives its tenant (the purge's own entry names it in its details).
                      <span className="text-slate-600">{e.targetTenantId ? "Deleted" : "—"}</span>
                    )}
                  </Td>
                  <Td>
                    <ul className="max-w-md space-y-0.5 text-xs text-slate-700">
                      {detailLines(e.details).map((line) => (
                        <li key={line} className="break-words">
                          {line}
                        </li>
                      ))}
                    </ul>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>
      <LoadMore query={log} />
    </div>
  );
}
