import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { cursorPages } from "../../lib/cursor-pages";
import { errorCode, errorMessage } from "../../lib/errors";
import { humanize } from "../../lib/format";
import { usePermissions } from "../../lib/roles";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { Composer, type ComposerMode } from "./composer";
import { ContactPanel } from "./contact-panel";
import { ConversationControls } from "./conversation-controls";
import { channelLabel, customerLabel, priorityTone, statusTone } from "./engagement-meta";
import { markOpened, useSeenScope } from "./inbox-seen";
import { SlaBadge } from "./sla-badge";
import { appendMessage, awaitingDelivery, type Message, Thread } from "./thread";

const route = getRouteApi("/app/tenant/engagements/$engagementId");

const later = (a: string, b: string | null | undefined) => (b && b > a ? b : a);

/**
 * One conversation: its thread (live), the composer (agents and above), the controls (status, assignee, priority,
 * labels) and the contact. Opening it, and every message that arrives while it is open, marks it read.
 */
export function ConversationPage() {
  const { engagementId } = route.useParams();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const scope = useSeenScope();
  // Fresh on every visit (staleTime 0): live events keep an open conversation current, not one visited earlier.
  const engagement = useQuery({ ...trpc.engagements.get.queryOptions({ id: engagementId }), staleTime: 0 });
  const canned = useQuery({ ...trpc.cannedResponses.list.queryOptions({ limit: 100 }), enabled: perms.canWrite });

  const threadInput = { engagementId, limit: 50 };
  const threadOptions = cursorPages(trpc.messages.list.infiniteQueryKey(threadInput), threadInput, (i) => client.messages.list.query(i));
  const thread = useInfiniteQuery({
    ...threadOptions,
    staleTime: 0,
    // Twilio reports delivery to the server, not over the live events: ask again while a reply is on its way.
    refetchInterval: (q) => (awaitingDelivery(q.state.data?.pages.flatMap((p) => p.items) ?? []) ? 3000 : false),
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = thread;
  // The whole thread, page after page (oldest first): the newest messages are the ones an agent answers.
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const lastMessageAt = engagement.data?.lastMessageAt;
  useEffect(() => {
    if (scope) markOpened(scope, engagementId, later(new Date().toISOString(), lastMessageAt));
  }, [scope, engagementId, lastMessageAt]);

  const addToThread = (m: Message) => queryClient.setQueryData(threadOptions.queryKey, (old: Parameters<typeof appendMessage>[0]) => appendMessage(old, m));
  const refreshHeader = () => queryClient.invalidateQueries({ queryKey: trpc.engagements.get.queryKey({ id: engagementId }) });

  useSubscription(
    trpc.engagements.onEvent.subscriptionOptions(undefined, {
      onData: ({ data: event }) => {
        if (event.type === "message") {
          if (event.engagementId !== engagementId) return;
          addToThread(event.message);
          if (scope) markOpened(scope, engagementId, later(new Date().toISOString(), event.message.createdAt));
        } else if (event.engagement.id === engagementId) {
          void refreshHeader();
        }
      },
    }),
  );

  const onSent = (m: Message) => {
    addToThread(m);
    void refreshHeader();
  };
  const send = useMutation(trpc.messages.send.mutationOptions({ onSuccess: onSent }));
  const note = useMutation(trpc.messages.note.mutationOptions({ onSuccess: onSent }));
  function submit(mode: ComposerMode, body: string) {
    if (mode === "reply") {
      note.reset();
      return send.mutateAsync({ engagementId, body, idempotencyKey: crypto.randomUUID() });
    }
    send.reset();
    return note.mutateAsync({ engagementId, body });
  }

  if (engagement.isError) {
    return (
      <ErrorState
        title={errorCode(engagement.error) === "NOT_FOUND" ? "There is no such conversation in this tenant" : "Could not load the conversation"}
        message={errorMessage(engagement.error)}
      >
        <Link to="/engagements" className="self-center text-sm font-medium text-brand hover:underline">
          Back to engagements
        </Link>
      </ErrorState>
    );
  }
  const e = engagement.data;
  const messages = thread.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-4">
      <Link to="/engagements" className="text-sm font-medium text-slate-600 hover:text-slate-900">
        ← Engagements
      </Link>
      <div className="flex min-h-9 flex-wrap items-center gap-x-3 gap-y-2">
        {e ? (
          <>
            <h1 className="min-w-0 text-2xl font-semibold tracking-tight break-words text-slate-900">{e.subject ?? customerLabel(e)}</h1>
            {e.erased && <Badge>Erased</Badge>}
            <Badge tone={statusTone[e.status]}>{humanize(e.status)}</Badge>
            <Badge tone={priorityTone[e.priority]}>{humanize(e.priority)} priority</Badge>
            <Badge>{channelLabel[e.channel]}</Badge>
            <SlaBadge e={e} />
            {e.subject && <p className="w-full text-sm text-slate-600">{customerLabel(e)}</p>}
            {e.erased && (
              <p data-testid="erased-notice" className="w-full text-sm text-slate-700">
                This customer's personal data was erased at their request: their messages, name and address are gone for good. Times and
                counts are kept.
              </p>
            )}
          </>
        ) : (
          <Skeleton className="h-8 w-72" />
        )}
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <section aria-label="Thread" className="min-w-0 space-y-4">
          <Card className="p-4 sm:p-6">
            {thread.isPending ? (
              <div className="space-y-3" role="status" aria-label="Loading the conversation">
                <Skeleton className="h-12 w-2/3" />
                <Skeleton className="ml-auto h-12 w-1/2" />
              </div>
            ) : thread.isError ? (
              <ErrorState title="Could not load the messages" message={errorMessage(thread.error)} onRetry={() => void thread.refetch()} />
            ) : messages.length === 0 ? (
              <Empty>No messages yet.</Empty>
            ) : (
              <Thread messages={messages} erased={e?.erased ?? false} />
            )}
            {thread.hasNextPage && (
              <div className="mt-4 flex justify-center">
                <Button variant="secondary" pending={thread.isFetchingNextPage} onClick={() => void thread.fetchNextPage()}>
                  Load later messages
                </Button>
              </div>
            )}
          </Card>
          {perms.canWrite && e && !e.erased && (
            // Sticky: on a phone the composer stays at the bottom of the screen while the thread scrolls.
            <div className="sticky bottom-0 z-10 -mx-4 border-t border-slate-200 bg-slate-50/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-xl sm:border sm:bg-white sm:px-4">
              <Composer canned={canned.data?.items ?? []} onSubmit={submit} pending={send.isPending || note.isPending} error={send.error ?? note.error} />
            </div>
          )}
        </section>
        <aside aria-label="Details" className="space-y-6">
          {e ? <ConversationControls engagement={e} canWrite={perms.canWrite} /> : <Skeleton className="h-48 w-full" />}
          {e?.contactId && <ContactPanel contactId={e.contactId} engagementId={e.id} />}
        </aside>
      </div>
    </div>
  );
}
