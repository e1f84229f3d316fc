import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { cn } from "../../components/ui/cn";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { ErrorState } from "../../components/ui/states";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { cursorPages } from "../../lib/cursor-pages";
import { errorMessage } from "../../lib/errors";
import { formatRelative, humanize } from "../../lib/format";
import { usePermissions } from "../../lib/roles";
import { type RouterOutputs, useTRPC, useTRPCClient } from "../../lib/trpc";
import { CreateEngagementDialog } from "./create-engagement-dialog";
import { applyEngagementChange, applyMessageTime, inboxQueryInput, type InboxFilters, noFilters } from "./engagement-cache";
import { channelLabel, customerLabel, type EngagementStatus, priorityTone, statuses, statusTone } from "./engagement-meta";
import { EnumOptions } from "./enum-options";
import { InboxFilterBar } from "./inbox-filters";
import { useInboxSeen, useSeenScope } from "./inbox-seen";
import { SlaBadge } from "./sla-badge";

type Row = RouterOutputs["engagements"]["list"]["items"][number];

/** The unread dot: a new message since the user last opened the conversation (announced with the row's link). */
function UnreadDot({ unread }: { unread: boolean }) {
  return <span aria-hidden="true" className={cn("inline-block size-2 shrink-0 rounded-full", unread ? "bg-sky-600" : "bg-transparent")} />;
}

function ConversationLink({ e, unread, className }: { e: Row; unread: boolean; className?: string }) {
  return (
    <Link to="/engagements/$engagementId" params={{ engagementId: e.id }} className={cn("font-medium text-slate-900 hover:underline", className)}>
      {customerLabel(e)}
      {unread && <span className="sr-only"> (new activity)</span>}
    </Link>
  );
}

/**
 * The inbox: the tenant's conversations in views (mine, unassigned, all) with channel, status and label filters
 * and full-text search; live over SSE (new conversations appear, messages mark rows unread). A table on wide
 * screens, a list on phones; each row opens the conversation.
 */
export function EngagementsPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const scope = useSeenScope();
  const seen = useInboxSeen(scope);
  const me = useQuery(trpc.auth.me.queryOptions());
  const [filters, setFilters] = useState<InboxFilters>(noFilters);
  const [creating, setCreating] = useState(false);
  const input = inboxQueryInput(filters);
  const listOptions = cursorPages(trpc.engagements.list.infiniteQueryKey(input), input, (i) => client.engagements.list.query(i));
  const list = useInfiniteQuery(listOptions);
  const members = useQuery(trpc.members.list.queryOptions({ limit: 100 }));
  const labels = useQuery(trpc.labels.list.queryOptions({ limit: 100 }));
  const userId = me.data?.user.id ?? null;

  type Data = InfiniteData<Awaited<ReturnType<typeof listOptions.queryFn>>, string | undefined>;
  const live = useSubscription(
    trpc.engagements.onEvent.subscriptionOptions(undefined, {
      onData: ({ data: event }) => {
        queryClient.setQueryData<Data>(listOptions.queryKey, (old) =>
          event.type === "message"
            ? applyMessageTime(old, event.engagementId, event.message.createdAt)
            : applyEngagementChange(old, event.engagement, filters, userId),
        );
        // Other screens (overview, analytics) recount on their next visit.
        void queryClient.invalidateQueries({ queryKey: trpc.analytics.summary.queryKey(), refetchType: "none" });
      },
    }),
  );

  const onUpdated = { onError: () => void list.refetch() };
  const setStatus = useMutation(trpc.engagements.updateStatus.mutationOptions(onUpdated));
  const assign = useMutation(trpc.engagements.assign.mutationOptions(onUpdated));
  const create = useMutation(trpc.engagements.create.mutationOptions({ onSuccess: () => setCreating(false) }));
  const mutationError = setStatus.error ?? assign.error;

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const memberName = new Map(members.data?.items.map((m) => [m.userId, m.name]));
  const labelName = new Map(labels.data?.items.map((l) => [l.id, l.name]));
  const liveState = live.status === "pending" ? "live" : live.status === "error" ? "offline" : "connecting";
  const filtered = filters.channel || filters.status || filters.labelId || filters.q || filters.view !== "all";

  const labelBadges = (e: Row) =>
    e.labelIds.map((id) => (labelName.has(id) ? <Badge key={id}>{labelName.get(id)}</Badge> : null));

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
                liveState === "live" ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-slate-50 text-slate-700 ring-slate-200",
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
      <InboxFilterBar value={filters} onChange={setFilters} labels={labels.data?.items ?? []} />
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
          empty={filtered ? "No engagements match these filters." : "No engagements yet. New conversations appear here live."}
        >
          {/* Phones: one list item per conversation. */}
          <ul aria-label="Engagements" className="divide-y divide-slate-100 md:hidden">
            {items.map((e) => {
              const unread = seen.unread(e);
              return (
                <li key={e.id} data-engagement-id={e.id} className="relative flex gap-3 px-4 py-3">
                  <UnreadDot unread={unread} />
                  <div className="min-w-0 flex-1 space-y-1">
                    <div className="flex items-baseline justify-between gap-2">
                      {/* The link covers the whole item (after:inset-0): the item is one tap target. */}
                      <ConversationLink e={e} unread={unread} className="truncate after:absolute after:inset-0" />
                      <span className="shrink-0 text-xs text-slate-600">{formatRelative(e.lastMessageAt ?? e.createdAt)}</span>
                    </div>
                    <p className="truncate text-sm text-slate-700">{e.subject ?? "No subject"}</p>
                    <div className="flex flex-wrap gap-1">
                      <Badge tone={statusTone[e.status]}>{humanize(e.status)}</Badge>
                      <Badge>{channelLabel[e.channel]}</Badge>
                      <SlaBadge e={e} />
                      {labelBadges(e)}
                    </div>
                  </div>
                </li>
              );
            })}
          </ul>
          <Table label="Engagements" className="hidden md:block">
            <THead>
              <tr>
                <Th>Customer</Th>
                <Th>Subject</Th>
                <Th>Status</Th>
                <Th>Priority</Th>
                <Th>Assignee</Th>
                <Th>SLA</Th>
                <Th>Last activity</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((e) => {
                const unread = seen.unread(e);
                return (
                  <Tr key={e.id} className={cn(unread && "bg-sky-50/60")} data-engagement-id={e.id} data-unread={unread || undefined}>
                    <Td>
                      <span className="flex items-center gap-2">
                        <UnreadDot unread={unread} />
                        <span>
                          <ConversationLink e={e} unread={unread} className="block" />
                          <span className="text-xs text-slate-600">{channelLabel[e.channel]}</span>
                        </span>
                      </span>
                    </Td>
                    <Td className="max-w-64">
                      <span className="block truncate" title={e.subject ?? undefined}>
                        {e.subject ?? <span className="text-slate-600">No subject</span>}
                      </span>
                      {e.labelIds.length > 0 && <span className="mt-1 flex flex-wrap gap-1">{labelBadges(e)}</span>}
                    </Td>
                    <Td>
                      {perms.canWrite ? (
                        <Select
                          aria-label={`Status of ${customerLabel(e)}`}
                          className="w-32 py-1.5"
                          value={e.status}
                          onChange={(ev) => setStatus.mutate({ id: e.id, status: ev.target.value as EngagementStatus })}
                        >
                          <EnumOptions values={statuses} />
                        </Select>
                      ) : (
                        <Badge tone={statusTone[e.status]}>{humanize(e.status)}</Badge>
                      )}
                    </Td>
                    <Td>
                      <Badge tone={priorityTone[e.priority]}>{humanize(e.priority)}</Badge>
                    </Td>
                    <Td>
                      {perms.canWrite ? (
                        <Select
                          aria-label={`Assignee of ${customerLabel(e)}`}
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
                        <span className="text-slate-600">Unassigned</span>
                      )}
                    </Td>
                    <Td>
                      <SlaBadge e={e} />
                    </Td>
                    <Td className="whitespace-nowrap text-slate-600" title={new Date(e.lastMessageAt ?? e.createdAt).toLocaleString()}>
                      {formatRelative(e.lastMessageAt ?? e.createdAt)}
                    </Td>
                  </Tr>
                );
              })}
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
