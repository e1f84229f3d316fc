import { Badge } from "../../components/ui/badge";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import type { RouterOutputs } from "../../lib/trpc";

export type AuditEntry = RouterOutputs["audit"]["list"]["items"][number];

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** A tenant's audit entries, newest first: the Audit log screen's table, and the platform console's view of a tenant. */
export function AuditEntriesTable({ items, label }: { items: readonly AuditEntry[]; label: string }) {
  return (
    <Table label={label}>
      <THead>
        <tr>
          <Th>When</Th>
          <Th>Actor</Th>
          <Th>Action</Th>
          <Th>Resource</Th>
          <Th>Result</Th>
          <Th>IP</Th>
        </tr>
      </THead>
      <TBody>
        {items.map((e) => (
          <Tr key={e.id}>
            <Td className="whitespace-nowrap">
              <time dateTime={e.at}>{timeFormat.format(new Date(e.at))}</time>
            </Td>
            <Td>
              <span className="block max-w-56 truncate" title={e.actor.label}>
                {e.actor.label}
              </span>
              {e.actor.type === "apiKey" && <span className="text-xs text-slate-500">API key</span>}
            </Td>
            <Td>
              <code className="font-mono text-xs text-slate-800">{e.action}</code>
              {e.reason && (
                <span className="block max-w-72 truncate text-xs text-slate-600" title={e.reason}>
                  {e.reason}
                </span>
              )}
            </Td>
            <Td className="text-slate-600">{e.resourceType}</Td>
            <Td>
              <Badge tone={e.result === "success" ? "good" : "bad"}>{e.result}</Badge>
            </Td>
            <Td className="font-mono text-xs text-slate-500">{e.ip ?? "—"}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
