import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Badge } from "../../components/ui/badge";
import { Card, CardTitle } from "../../components/ui/card";
import { Skeleton } from "../../components/ui/skeleton";
import { ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { formatRelative, humanize } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { contactName } from "../contacts/contact-name";
import { channelLabel, statusTone } from "./engagement-meta";

/** The customer behind a conversation: their handles, their other conversations and their calls. */
export function ContactPanel({ contactId, engagementId }: { contactId: string; engagementId: string }) {
  const trpc = useTRPC();
  const contact = useQuery(trpc.contacts.get.queryOptions({ id: contactId }));
  if (contact.isPending) {
    return (
      <Card>
        <CardTitle>Contact</CardTitle>
        <Skeleton className="h-24 w-full" />
      </Card>
    );
  }
  if (contact.isError) {
    return <ErrorState title="Could not load the contact" message={errorMessage(contact.error)} onRetry={() => void contact.refetch()} />;
  }
  const c = contact.data;
  const others = c.engagements.filter((e) => e.id !== engagementId);
  return (
    <Card>
      <CardTitle>Contact</CardTitle>
      <section aria-label="Contact" className="space-y-4 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <Link to="/contacts/$contactId" params={{ contactId }} className="font-medium text-slate-900 hover:underline">
            {/* The handles are listed right below: a contact without a name is not named after one of them here. */}
            {c.erasedAt ? contactName(c) : (c.name ?? "Unnamed contact")}
          </Link>
          {c.erasedAt && <Badge>Erased</Badge>}
        </div>
        <ul aria-label="Handles" className="space-y-1">
          {c.handles.map((h) => (
            <li key={`${h.kind}:${h.value}`} className="flex items-center gap-2 break-all text-slate-800">
              <Badge>{humanize(h.kind)}</Badge>
              {h.value}
            </li>
          ))}
        </ul>
        <div>
          <h3 className="mb-1 font-medium text-slate-800">Other conversations</h3>
          {others.length === 0 ? (
            <p className="text-slate-600">None.</p>
          ) : (
            <ul aria-label="Other conversations" className="space-y-1">
              {others.map((e) => (
                <li key={e.id}>
                  <Link
                    to="/engagements/$engagementId"
                    params={{ engagementId: e.id }}
                    className="flex items-center justify-between gap-2 rounded-md px-2 py-1 hover:bg-slate-50"
                  >
                    <span className="min-w-0 truncate text-slate-900">{e.subject ?? channelLabel[e.channel]}</span>
                    <Badge tone={statusTone[e.status]}>{humanize(e.status)}</Badge>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="mb-1 font-medium text-slate-800">Calls</h3>
          {c.calls.length === 0 ? (
            <p className="text-slate-600">None.</p>
          ) : (
            <ul aria-label="Calls" className="space-y-1">
              {c.calls.map((call) => (
                <li key={call.id}>
                  <Link to="/calls/$callId" params={{ callId: call.id }} className="flex items-center justify-between gap-2 rounded-md px-2 py-1 hover:bg-slate-50">
                    <span className="text-slate-900">
                      {humanize(call.direction)} · {humanize(call.status)}
                    </span>
                    <span className="text-xs text-slate-600">{formatRelative(call.startedAt)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
    </Card>
  );
}
