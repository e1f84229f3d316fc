import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ListStates, LoadMore } from "../../components/ui/list-states";
import { PageHeader } from "../../components/ui/page-header";
import { Select } from "../../components/ui/select";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { cursorPages } from "../../lib/cursor-pages";
import { errorCode, errorMessage } from "../../lib/errors";
import { formatDateTime, formatRelative, humanize } from "../../lib/format";
import { usePermissions } from "../../lib/roles";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { type Delivery, type DeliveryStatus, deliveryStatuses, deliveryStatusTone, webhookState } from "./webhook-meta";

const route = getRouteApi("/app/tenant/integrations/webhooks/$webhookId");

/** While a delivery on screen is still pending, the log looks again this often (it settles within seconds). */
const PENDING_POLL_MS = 2000;

/** One endpoint's delivery log, newest first: status, attempts, last HTTP status, next retry; redeliver and test. */
export function WebhookDeliveriesPage() {
  const { webhookId } = route.useParams();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const endpoint = useQuery({ ...trpc.webhooks.get.queryOptions({ id: webhookId }), enabled: perms.canAdmin });
  const webhook = endpoint.data;
  const input = { webhookId, limit: 50, ...(status ? { status } : {}) };
  const log = useInfiniteQuery({
    ...cursorPages(trpc.webhooks.deliveries.infiniteQueryKey(input), input, (i) => client.webhooks.deliveries.query(i)),
    enabled: perms.canAdmin,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((d) => d.status === "pending")) ? PENDING_POLL_MS : false),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.infiniteQueryKey({ webhookId }) });
  const redeliver = useMutation(trpc.webhooks.redeliver.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.webhooks.test.mutationOptions({ onSuccess: refresh }));
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  const back = (
    <Link to="/integrations" className="text-sm font-medium text-brand hover:underline">
      ← Integrations
    </Link>
  );
  if (!perms.loading && !perms.canAdmin) {
    return (
      <>
        <PageHeader title="Webhook deliveries" />
        <Empty>Only admins and owners manage webhooks.</Empty>
      </>
    );
  }
  if (endpoint.isError) {
    return (
      <>
        {back}
        <PageHeader title="Webhook deliveries" />
        {errorCode(endpoint.error) === "NOT_FOUND" ? (
          <Empty>This endpoint does not exist (any more).</Empty>
        ) : (
          <ErrorState title="Could not load the endpoint" message={errorMessage(endpoint.error)} onRetry={() => void endpoint.refetch()} />
        )}
      </>
    );
  }
  const state = webhook ? webhookState(webhook) : null;

  return (
    <div className="space-y-4">
      {back}
      <PageHeader
        title="Webhook deliveries"
        description={
          webhook ? (
            <span className="font-mono break-all" data-testid="webhook-url">
              {webhook.url}
            </span>
          ) : (
            <Skeleton className="h-4 w-72" />
          )
        }
        actions={
          <>
            {state && <Badge tone={state.tone}>{state.label}</Badge>}
            {webhook?.enabled && (
              <Button variant="secondary" pending={test.isPending} onClick={() => test.mutate({ id: webhookId })}>
                Send test
              </Button>
            )}
          </>
        }
      />
      {test.isError && <ErrorState title="Could not send a test" message={errorMessage(test.error)} />}
      {redeliver.isError && <ErrorState title="Could not redeliver" message={errorMessage(redeliver.error)} />}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <label className="flex items-center gap-2 text-sm text-slate-600">
          Status
          <Select className="w-40" value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | "")}>
            <option value="">All</option>
            {deliveryStatuses.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </Select>
        </label>
        <Button variant="ghost" pending={log.isRefetching && !log.isFetchingNextPage} onClick={() => void log.refetch()}>
          Refresh
        </Button>
      </div>
      <Card className="p-0">
        <ListStates
          query={log}
          isEmpty={items.length === 0}
          skeleton={{ columns: 6, label: "Loading deliveries…" }}
          errorTitle="Could not load the deliveries"
          empty={status ? <>No {status} deliveries.</> : <>Nothing sent yet. Send a test to see one here.</>}
        >
          <Table label="Deliveries">
            <THead>
              <tr>
                <Th>Event</Th>
                <Th>Status</Th>
                <Th className="text-right">Attempts</Th>
                <Th>Last response</Th>
                <Th>Next attempt</Th>
                <Th>Created</Th>
                <Th className="text-right">Actions</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((d) => (
                <DeliveryRow
                  key={d.id}
                  d={d}
                  redelivering={redeliver.isPending && redeliver.variables?.deliveryId === d.id}
                  onRedeliver={() => redeliver.mutate({ deliveryId: d.id })}
                />
              ))}
            </TBody>
          </Table>
        </ListStates>
      </Card>
      <LoadMore query={log} />
    </div>
  );
}

function DeliveryRow({ d, redelivering, onRedeliver }: { d: Delivery; redelivering: boolean; onRedeliver: () => void }) {
  return (
    <Tr data-delivery-status={d.status}>
      <Td>
        <code className="font-mono text-xs text-slate-900">{d.event}</code>
      </Td>
      <Td>
        <Badge tone={deliveryStatusTone[d.status]}>{humanize(d.status)}</Badge>
      </Td>
      <Td className="text-right tabular-nums">{d.attempts}</Td>
      <Td>
        <span className="tabular-nums">{d.lastStatusCode === null ? (d.attempts > 0 ? "No response" : "—") : `HTTP ${d.lastStatusCode}`}</span>
        {/* Without a status, the reason (timeout, refused address, connection); with one, the status says it. */}
        {d.lastError && d.lastStatusCode === null && <span className="block max-w-64 truncate text-xs text-slate-600" title={d.lastError}>{d.lastError}</span>}
      </Td>
      <Td className="whitespace-nowrap">
        {d.status === "pending" ? <time dateTime={d.nextAttemptAt} title={formatDateTime(d.nextAttemptAt)}>{formatRelative(d.nextAttemptAt)}</time> : "—"}
      </Td>
      <Td className="whitespace-nowrap">
        <time dateTime={d.createdAt}>{formatDateTime(d.createdAt)}</time>
      </Td>
      <Td className="text-right">
        {d.status !== "pending" && (
          <Button variant="ghost" aria-label={`Redeliver ${d.event} of ${formatDateTime(d.createdAt)}`} pending={redelivering} onClick={onRedeliver}>
            Redeliver
          </Button>
        )}
      </Td>
    </Tr>
  );
}
