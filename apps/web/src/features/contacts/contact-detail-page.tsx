import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type ReactNode, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { Dialog } from "../../components/ui/dialog";
import { PageHeader } from "../../components/ui/page-header";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { Table, TBody, Td, Th, THead, Tr } from "../../components/ui/table";
import { errorMessage } from "../../lib/errors";
import { formatDate, formatDateTime, humanize } from "../../lib/format";
import { usePermissions } from "../../lib/roles";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { callerLabel, callStatusTone } from "../calls/call-meta";
import { channelLabel, statusTone } from "../engagements/engagement-meta";
import { ContactForm } from "./contact-form";
import { contactName } from "./contact-name";
import { MergeContactDialog } from "./merge-contact-dialog";
import { useDebounced } from "./use-debounced";

const route = getRouteApi("/app/tenant/contacts/$contactId");

type Contact = RouterOutputs["contacts"]["get"];
type Merged = RouterOutputs["contacts"]["merge"];
type HandleKind = Contact["handles"][number]["kind"];

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

const handleLabel: Record<HandleKind, string> = { email: "Email", phone: "Phone", twitter: "X / Twitter", facebook: "Facebook", chat: "Chat" };

/** One customer: their handles, and their conversations, calls and leads (the newest of each). */
export function ContactDetailPage() {
  const { contactId } = route.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const perms = usePermissions();
  const contact = useQuery(trpc.contacts.get.queryOptions({ id: contactId }));
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState<Merged | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.contacts.get.queryKey({ id: contactId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.contacts.list.pathKey() }),
    ]);
  const update = useMutation(trpc.contacts.update.mutationOptions({ onSuccess: async () => (await refresh(), setEditing(false)) }));
  const merge = useMutation(
    trpc.contacts.merge.mutationOptions({
      onSuccess: async (result) => {
        await refresh();
        setMerged(result);
        setMerging(false);
      },
    }),
  );

  if (contact.isError) {
    return (
      <div className="space-y-4">
        <BackLink />
        <ErrorState title="Could not load the contact" message={errorMessage(contact.error)} onRetry={() => void contact.refetch()} />
      </div>
    );
  }
  const c = contact.data;
  return (
    <div className="space-y-6">
      <BackLink />
      {!c ? (
        <div className="space-y-4">
          <Skeleton className="h-10 w-64" />
          <Skeleton className="h-40 w-full" />
        </div>
      ) : (
        <>
          <PageHeader
            title={contactName(c)}
            description={
              c.erasedAt
                ? `Erased on ${formatDate(c.erasedAt)} at their request: their name, addresses, handles and message texts are gone for good.`
                : `Contact since ${formatDate(c.createdAt)}`
            }
            actions={
              <>
                {c.erasedAt && <Badge>Erased</Badge>}
                {perms.canWrite && !c.erasedAt && (
                  <Button variant="secondary" onClick={() => (update.reset(), setEditing(true))}>
                    Edit contact
                  </Button>
                )}
                {perms.canAdmin && !c.erasedAt && (
                  <Button variant="secondary" onClick={() => (merge.reset(), setMerged(null), setMerging(true))}>
                    Merge a duplicate
                  </Button>
                )}
              </>
            }
          />
          {merged && (
            <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200 ring-inset">
              Merged. Moved here: {count(merged.moved.engagements, "conversation")}, {count(merged.moved.calls, "call")},{" "}
              {count(merged.moved.leads, "lead")}, {count(merged.moved.handles, "handle")}.
            </p>
          )}
          <div className="grid gap-6 lg:grid-cols-2">
            <Section title="Details">
              <dl className="grid grid-cols-[7rem_1fr] gap-y-2 text-sm">
                <dt className="text-slate-600">Name</dt>
                <dd className="text-slate-900">{c.name ?? "—"}</dd>
                <dt className="text-slate-600">Email</dt>
                <dd className="break-all text-slate-900">{c.email ?? "—"}</dd>
                <dt className="text-slate-600">Phone</dt>
                <dd className="text-slate-900 tabular-nums">{c.phone ?? "—"}</dd>
              </dl>
            </Section>
            <Section title="Handles">
              {c.handles.length === 0 ? (
                <Empty>No handles.</Empty>
              ) : (
                <ul aria-label="Handles" className="space-y-2 text-sm">
                  {c.handles.map((h) => (
                    <li key={`${h.kind}:${h.value}`} className="flex items-center gap-2">
                      <Badge>{handleLabel[h.kind]}</Badge>
                      <span className="break-all text-slate-900">{h.value}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          </div>
          <Related title="Conversations" empty="No conversations with this contact.">
            {c.engagements.length > 0 && (
              <Table label="Conversations">
                <THead>
                  <tr>
                    <Th>Subject</Th>
                    <Th>Channel</Th>
                    <Th>Status</Th>
                    <Th>Started</Th>
                  </tr>
                </THead>
                <TBody>
                  {c.engagements.map((e) => (
                    <Tr key={e.id}>
                      <Td className="max-w-72">
                        <Link
                          to="/engagements/$engagementId"
                          params={{ engagementId: e.id }}
                          className="block truncate font-medium text-slate-900 hover:text-brand hover:underline"
                        >
                          {e.subject ?? `${channelLabel[e.channel]} conversation`}
                        </Link>
                      </Td>
                      <Td>{channelLabel[e.channel]}</Td>
                      <Td>
                        <Badge tone={statusTone[e.status]}>{humanize(e.status)}</Badge>
                      </Td>
                      <Td className="whitespace-nowrap">{formatDateTime(e.createdAt)}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </Related>
          <Related title="Calls" empty="No calls with this contact.">
            {c.calls.length > 0 && (
              <Table label="Calls">
                <THead>
                  <tr>
                    <Th>Phone</Th>
                    <Th>Direction</Th>
                    <Th>Status</Th>
                    <Th>Started</Th>
                  </tr>
                </THead>
                <TBody>
                  {c.calls.map((call) => (
                    <Tr key={call.id}>
                      <Td>
                        <Link to="/calls/$callId" params={{ callId: call.id }} className="font-medium text-slate-900 tabular-nums hover:text-brand hover:underline">
                          {callerLabel(call)}
                        </Link>
                      </Td>
                      <Td>{humanize(call.direction)}</Td>
                      <Td>
                        <Badge tone={callStatusTone[call.status]}>{humanize(call.status)}</Badge>
                      </Td>
                      <Td className="whitespace-nowrap">{formatDateTime(call.startedAt)}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </Related>
          <Related title="Leads" empty="No leads for this contact.">
            {c.leads.length > 0 && (
              <Table label="Leads">
                <THead>
                  <tr>
                    <Th>Name</Th>
                    <Th>Status</Th>
                    <Th>Source</Th>
                    <Th>Created</Th>
                  </tr>
                </THead>
                <TBody>
                  {c.leads.map((l) => (
                    <Tr key={l.id}>
                      <Td className="font-medium text-slate-900">{l.name}</Td>
                      <Td>
                        <Badge>{humanize(l.status)}</Badge>
                      </Td>
                      <Td>{l.source ?? "—"}</Td>
                      <Td className="whitespace-nowrap">{formatDate(l.createdAt)}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </Related>
          <Dialog open={editing} onOpenChange={setEditing} title="Edit contact">
            {editing && (
              <ContactForm
                contact={c}
                pending={update.isPending}
                error={update.error}
                onUpdate={(v) => update.mutate({ id: c.id, ...v })}
                onCancel={() => setEditing(false)}
              />
            )}
          </Dialog>
          {perms.canAdmin && (
            <MergeCandidates
              open={merging}
              onOpenChange={setMerging}
              into={c}
              onMerge={(id) => merge.mutate({ id, intoId: c.id })}
              pending={merge.isPending}
              error={merge.error}
            />
          )}
        </>
      )}
    </div>
  );
}

/** The merge dialog fed by contacts.list { q } while it is open. */
function MergeCandidates(props: Omit<Parameters<typeof MergeContactDialog>[0], "query" | "onQueryChange" | "candidates" | "searching">) {
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const search = useDebounced(q.trim(), 250);
  const candidates = useQuery({
    ...trpc.contacts.list.queryOptions(search ? { q: search, limit: 20 } : { limit: 20 }),
    enabled: props.open,
    // The last results stay while the next search runs: a picked duplicate does not vanish between keystrokes.
    placeholderData: keepPreviousData,
  });
  return (
    <MergeContactDialog
      {...props}
      onOpenChange={(o) => (o || setQ(""), props.onOpenChange(o))}
      query={q}
      onQueryChange={setQ}
      candidates={candidates.data?.items ?? []}
      searching={candidates.isPending}
    />
  );
}

function BackLink() {
  return (
    <Link to="/contacts" className="text-sm font-medium text-slate-600 hover:text-slate-900">
      ← All contacts
    </Link>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <h2 className="mb-4 text-base font-semibold text-slate-900">{title}</h2>
      {children}
    </Card>
  );
}

/** A contact's recent rows of one kind, or a line saying there are none. */
function Related({ title, empty, children }: { title: string; empty: string; children: ReactNode }) {
  return (
    <Card className="p-0">
      <h2 className="px-6 pt-5 pb-3 text-base font-semibold text-slate-900">{title}</h2>
      {children || <p className="px-6 pb-5 text-sm text-slate-600">{empty}</p>}
    </Card>
  );
}
