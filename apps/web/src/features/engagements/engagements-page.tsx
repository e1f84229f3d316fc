import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { cn } from "../../components/ui/cn";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { ErrorState } from "../../components/ui/states";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { errorMessage } from "../../lib/errors";
import { formatDuration, formatRelative } from "../../lib/format";
import { usePermissions } from "../../lib/roles";
import { cursorPages } from "../../lib/cursor-pages";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { CreateEngagementDialog } from "./create-engagement-dialog";
import { applyEngagementEvent, type EngagementSelects, engagementsQueryInput } from "./engagement-cache";
import { type Channel, channelLabel, channels, type EngagementStatus, priorityTone, statuses, statusTone } from "./engagement-meta";

/** The inbox: every conversation of the tenant, live over SSE, filtered by channel and status. */
export function EngagementsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const [filters, setFilters] = useState<EngagementSelects>({ channel: "", status: "" });
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const input = engagementsQueryInput(filters);
  const client = useTRPCClient();
  const listOptions = cursorPages(trpc.engagements.list.infiniteQueryKey(input), input, (i) => client.engagements.list.query(i));
  const list = useInfiniteQuery(listOptions);
  const members = useQuery(trpc.members.list.queryOptions({ limit: 100 }));

  const live = useSubscription(
    trpc.engagements.onEvent.subscriptionOptions(undefined, {
      onData: ({ data: event }) => {
        queryClient.setQueryData<InfiniteData<Awaited<ReturnType<typeof listOptions.queryFn>>, string | undefined>>(listOptions.queryKey, (old) =>
          applyEngagementEvent(old, event, input),
        );
        if (event.type === "created") setFresh((s) => new Set(s).add(event.engagement.id));
        // Other screens (overview, analytics) recount on their next visit.
        void queryClient.invalidateQueries({ queryKey: trpc.analytics.summary.queryKey(), refetchType: "none" });
      },
    }),
  );

  const onUpdated = { onError: () => void list.refetch() };
  const setStatus = useMutation(trpc.engagements.updateStatus.mutationOptions(onUpdated));
  const assign = useMutation(trpc.engagements.assign.mutationOptions(onUpdated));
  const rate = useMutation(trpc.engagements.rate.mutationOptions(onUpdated));
  const create = useMutation(trpc.engagements.create.mutationOptions({ onSuccess: () => setCreating(false) }));
  const mutationError = setStatus.error ?? assign.error ?? rate.error;

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const memberName = new Map(members.data?.items.map((m) => [m.userId, m.name]));
  const liveState = live.status === "pending" ? "live" : live.status === "error" ? "offline" : "connecting";

  return (
    <div>
      <PageHeader
        title="Engagements"
        description="Customer conversations across every channel, as they happen."
        actions={
          <>
            <span
              role="status"
              aria-label={`Live updates: ${liveState}`}
              className={cn(
                "inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset",
                liveState === "live" ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-slate-50 text-slate-600 ring-slate-200",
              )}
            >
              <span aria-hidden="true" className={cn("size-2 rounded-full", liveState === "live" ? "animate-pulse bg-emerald-500" : "bg-slate-400")} />
              {liveState === "live" ? "Live" : liveState === "offline" ? "Offline" : "Connecting"}
            </span>
            {perms.canWrite && (
              <Button
                onClick={() => {
                  create.reset();
                  setCreating(true);
                }}
              >
                New engagement
              </Button>
            )}
          </>
        }
      />
      <div className="mb-4 flex flex-wrap gap-3" role="group" aria-label="Filters">
        <label className="flex items-center gap-2 text-sm text-slate-600">
          Channel
          <Select className="w-40" value={filters.channel} onChange={(e) => setFilters({ ...filters, channel: e.target.value as Channel | "" })}>
            <option value="">All channels</option>
            {channels.map((c) => (
              <option key={c} value={c}>
                {channelLabel[c]}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-600">
          Status
          <Select className="w-36" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value as EngagementStatus | "" })}>
            <option value="">All statuses</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {mutationError && (
        <div className="mb-4">
          <ErrorState title="That change was not saved" message={errorMessage(mutationError)} />
        </div>
      )}
      <Card className="p-0">
        <ListStates
          query={list}
          isEmpty={items.length === 0}
          skeleton={{ rows: 8, columns: 6, label: "Loading engagements…" }}
          errorTitle="Could not load the engagements"
          empty={filters.channel || filters.status ? "No engagements match these filters." : "No engagements yet. New conversations appear here live."}
        >
          <Table label="Engagements">
            <THead>
              <tr>
                <Th>Customer</Th>
                <Th>Subject</Th>
                <Th>Status</Th>
                <Th>Priority</Th>
                <Th>Assignee</Th>
                <Th>CSAT</Th>
                <Th>First response</Th>
                <Th>Created</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((e) => (
                <Tr key={e.id} className={cn(fresh.has(e.id) && "bg-brand/5")} data-engagement-id={e.id}>
                  <Td>
                    <span className="block font-medium text-slate-900">{e.customer}</span>
                    <span className="text-xs text-slate-500">{channelLabel[e.channel]}</span>
                  </Td>
                  <Td className="max-w-64">
                    <span className="block truncate" title={e.subject ?? undefined}>
                      {e.subject ?? <span className="text-slate-400">No subject</span>}
                    </span>
                    {fresh.has(e.id) && <Badge tone="brand">New</Badge>}
                  </Td>
                  <Td>
                    {perms.canWrite ? (
                      <Select
                        aria-label={`Status of ${e.customer}`}
                        className="w-32 py-1.5"
                        value={e.status}
                        onChange={(ev) => setStatus.mutate({ id: e.id, status: ev.target.value as EngagementStatus })}
                      >
                        {statuses.map((s) => (
                          <option key={s} value={s}>
                            {s[0]!.toUpperCase() + s.slice(1)}
                          </option>
                        ))}
                      </Select>
                    ) : (
                      <Badge tone={statusTone[e.status]} className="capitalize">
                        {e.status}
                      </Badge>
                    )}
                  </Td>
                  <Td>
                    <Badge tone={priorityTone[e.priority]} className="capitalize">
                      {e.priority}
                    </Badge>
                  </Td>
                  <Td>
                    {perms.canWrite ? (
                      <Select
                        aria-label={`Assignee of ${e.customer}`}
                        className="w-40 py-1.5"
                        value={e.assignedUserId ?? ""}
                        onChange={(ev) => assign.mutate({ id: e.id, userId: ev.target.value || null })}
                      >
                        <option value="">Unassigned</option>
                        {members.data?.items.map((m) => (
                          <option key={m.userId} value={m.userId}>
                            {m.name}
                          </option>
                        ))}
                        {e.assignedUserId && !memberName.has(e.assignedUserId) && <option value={e.assignedUserId}>Someone else</option>}
                      </Select>
                    ) : e.assignedUserId ? (
                      (memberName.get(e.assignedUserId) ?? "Assigned")
                    ) : (
                      <span className="text-slate-400">Unassigned</span>
                    )}
                  </Td>
                  <Td>
                    {perms.canWrite ? (
                      <Select
                        aria-label={`Satisfaction of ${e.customer}`}
                        className="w-24 py-1.5"
                        value={e.csat ?? ""}
                        onChange={(ev) => ev.target.value && rate.mutate({ id: e.id, csat: Number(ev.target.value) })}
                      >
                        <option value="">—</option>
                        {[1, 2, 3, 4, 5].map((n) => (
                          <option key={n} value={n}>
                            {n}★
                          </option>
                        ))}
                      </Select>
                    ) : e.csat ? (
                      `${e.csat}★`
                    ) : (
                      "—"
                    )}
                  </Td>
                  <Td className="whitespace-nowrap">
                    {e.firstResponseAt ? formatDuration((Date.parse(e.firstResponseAt) - Date.parse(e.createdAt)) / 1000) : "—"}
                  </Td>
                  <Td className="whitespace-nowrap text-slate-500" title={new Date(e.createdAt).toLocaleString()}>
                    {formatRelative(e.createdAt)}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>
      <LoadMore query={list} />
      <CreateEngagementDialog
        key={String(creating)}
        open={creating}
        onOpenChange={setCreating}
        onSubmit={(v) => create.mutate(v)}
        pending={create.isPending}
        error={create.error}
      />
    </div>
  );
}
