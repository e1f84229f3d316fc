import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { Input } from "../../components/ui/input";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { formatDateTime, formatDuration, humanize } from "../../lib/format";
import { cursorPages } from "../../lib/cursor-pages";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { type CallFilters, callerLabel, callStatuses, callStatusTone, callsQueryInput, emptyCallFilters, sentimentTone } from "./call-meta";

export function CallsPage() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<CallFilters>(emptyCallFilters);
  const client = useTRPCClient();
  const input = callsQueryInput(filters);
  const calls = useInfiniteQuery(cursorPages(trpc.calls.list.infiniteQueryKey(input), input, (i) => client.calls.list.query(i)));
  const agents = useQuery(trpc.agents.list.queryOptions({ limit: 100 }));
  const agentName = new Map(agents.data?.items.map((a) => [a.id, a.name]));
  const items = calls.data?.pages.flatMap((p) => p.items) ?? [];
  const set = <K extends keyof CallFilters>(k: K, v: CallFilters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const filtered = JSON.stringify(filters) !== JSON.stringify(emptyCallFilters);

  return (
    <div>
      <PageHeader title="Calls" description="Inbound and outbound calls handled by your AI agents and team." />
      <form
        aria-label="Call filters"
        onSubmit={(e) => e.preventDefault()}
        className="mb-4 grid gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-2 lg:grid-cols-5"
      >
        <label className="space-y-1 text-xs font-medium text-slate-600">
          Status
          <Select value={filters.status} onChange={(e) => set("status", e.target.value as CallFilters["status"])}>
            <option value="">All statuses</option>
            {callStatuses.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </Select>
        </label>
        <label className="space-y-1 text-xs font-medium text-slate-600">
          Agent
          <Select value={filters.agentId} onChange={(e) => set("agentId", e.target.value)}>
            <option value="">All agents</option>
            {agents.data?.items.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
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
        <div className="flex items-end">
          <Button variant="ghost" disabled={!filtered} onClick={() => setFilters(emptyCallFilters)}>
            Clear filters
          </Button>
        </div>
      </form>
      <Card className="p-0">
        <ListStates
          query={calls}
          isEmpty={items.length === 0}
          skeleton={{ rows: 8, columns: 6, label: "Loading calls…" }}
          errorTitle="Could not load the calls"
          empty={filtered ? "No calls match these filters." : "No calls yet."}
        >
          <Table label="Calls">
            <THead>
              <tr>
                <Th>Customer</Th>
                <Th>Agent</Th>
                <Th>Status</Th>
                <Th>Started</Th>
                <Th>Duration</Th>
                <Th>Sentiment</Th>
                <Th>Outcome</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((c) => (
                <Tr key={c.id}>
                  <Td>
                    <Link to="/calls/$callId" params={{ callId: c.id }} className="font-medium text-slate-900 hover:text-brand hover:underline">
                      {callerLabel(c)}
                    </Link>
                    <span className="block text-xs text-slate-500">{c.direction === "inbound" ? "↙ Inbound" : "↗ Outbound"}</span>
                  </Td>
                  <Td>{c.agentId ? (agentName.get(c.agentId) ?? "AI agent") : <span className="text-slate-500">Human</span>}</Td>
                  <Td>
                    <Badge tone={callStatusTone[c.status]}>{humanize(c.status)}</Badge>
                  </Td>
                  <Td className="whitespace-nowrap">{formatDateTime(c.startedAt)}</Td>
                  <Td className="whitespace-nowrap tabular-nums">{formatDuration(c.durationSeconds)}</Td>
                  <Td>{c.sentiment ? <Badge tone={sentimentTone[c.sentiment] ?? "neutral"}>{humanize(c.sentiment)}</Badge> : "—"}</Td>
                  <Td className="max-w-64">
                    <span className="block truncate" title={c.outcome ?? undefined}>
                      {c.outcome ?? "—"}
                    </span>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>
      <LoadMore query={calls} />
    </div>
  );
}
