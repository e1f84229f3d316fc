import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, CardTitle } from "../../components/ui/card";
import { Field, FormError } from "../../components/ui/field";
import { Select, Textarea } from "../../components/ui/select";
import { Skeleton } from "../../components/ui/skeleton";
import { Empty, ErrorState } from "../../components/ui/states";
import { errorCode, errorMessage, formErrors } from "../../lib/errors";
import { formatDateTime, formatDuration, humanize } from "../../lib/format";
import { usePermissions } from "../../lib/roles";
import { useTRPC } from "../../lib/trpc";
import { callerLabel, callStatusTone, type Sentiment, sentiments, sentimentTone } from "./call-meta";

const route = getRouteApi("/app/tenant/calls/$callId");

/** One transcript line, "Speaker: text", as a chat bubble; anything else as plain text. */
function TranscriptLine({ line }: { line: string }) {
  const m = /^([A-Za-z][\w .'-]{0,30}):\s*(.*)$/.exec(line);
  if (!m) return <p className="text-sm text-slate-700">{line}</p>;
  const agent = /^(agent|ai|assistant|bot)/i.test(m[1]!);
  return (
    <div className={agent ? "flex justify-start" : "flex justify-end"}>
      <div className={agent ? "max-w-[80%] rounded-2xl rounded-tl-sm bg-slate-100 px-3 py-2" : "max-w-[80%] rounded-2xl rounded-tr-sm bg-brand/10 px-3 py-2"}>
        <p className="text-xs font-medium text-slate-600">{m[1]}</p>
        <p className="text-sm whitespace-pre-wrap text-slate-800">{m[2]}</p>
      </div>
    </div>
  );
}

export function CallDetailPage() {
  const { callId } = route.useParams();
  const trpc = useTRPC();
  const perms = usePermissions();
  const call = useQuery(trpc.calls.get.queryOptions({ id: callId }));
  const agents = useQuery(trpc.agents.list.queryOptions({ limit: 100 }));

  if (call.isError) {
    return (
      <ErrorState
        title={errorCode(call.error) === "NOT_FOUND" ? "There is no such call in this tenant" : "Could not load the call"}
        message={errorMessage(call.error)}
      >
        <Link to="/calls" className="self-center text-sm font-medium text-brand hover:underline">
          Back to calls
        </Link>
      </ErrorState>
    );
  }
  const c = call.data;
  const agent = c?.agentId ? agents.data?.items.find((a) => a.id === c.agentId) : undefined;
  return (
    <div className="space-y-6">
      <Link to="/calls" className="text-sm font-medium text-slate-500 hover:text-slate-800">
        ← Calls
      </Link>
      <div className="flex min-h-9 flex-wrap items-center gap-3">
        {c ? (
          <>
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{callerLabel(c)}</h1>
            {c.erased && <Badge>Erased</Badge>}
            <Badge tone={callStatusTone[c.status]}>{humanize(c.status)}</Badge>
            <Badge>{humanize(c.direction)}</Badge>
            {c.sentiment && <Badge tone={sentimentTone[c.sentiment] ?? "neutral"}>{humanize(c.sentiment)}</Badge>}
          </>
        ) : (
          <Skeleton className="h-8 w-56" />
        )}
      </div>
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <Card>
          <CardTitle>Transcript</CardTitle>
          {!c ? (
            <div className="space-y-3">
              <Skeleton className="h-10 w-2/3" />
              <Skeleton className="ml-auto h-10 w-1/2" />
              <Skeleton className="h-10 w-3/5" />
            </div>
          ) : c.transcript ? (
            <div className="max-h-[32rem] space-y-3 overflow-y-auto" aria-label="Transcript" role="log" tabIndex={0}>
              {c.transcript
                .split(/\r?\n/)
                .filter((l) => l.trim())
                .map((line, i) => (
                  <TranscriptLine key={i} line={line} />
                ))}
            </div>
          ) : (
            <Empty>{c.erased ? "The transcript was erased at the customer's request." : "No transcript for this call."}</Empty>
          )}
        </Card>
        <div className="space-y-6">
          <Card>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm">
              <dt className="text-slate-500">Agent</dt>
              <dd className="text-slate-900">{c ? (agent?.name ?? (c.agentId ? "AI agent" : "Human")) : <Skeleton className="h-4 w-20" />}</dd>
              <dt className="text-slate-500">Started</dt>
              <dd className="text-slate-900">{c ? formatDateTime(c.startedAt) : <Skeleton className="h-4 w-24" />}</dd>
              <dt className="text-slate-500">Ended</dt>
              <dd className="text-slate-900">{c ? formatDateTime(c.endedAt) : <Skeleton className="h-4 w-24" />}</dd>
              <dt className="text-slate-500">Duration</dt>
              <dd className="text-slate-900 tabular-nums">{c ? formatDuration(c.durationSeconds) : <Skeleton className="h-4 w-12" />}</dd>
            </dl>
          </Card>
          <Card>
            <CardTitle>Outcome</CardTitle>
            {c ? (
              <OutcomeForm key={`${c.outcome}-${c.sentiment}`} id={c.id} outcome={c.outcome} sentiment={c.sentiment} canEdit={perms.canWrite} />
            ) : (
              <Skeleton className="h-20 w-full" />
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}

function OutcomeForm({ id, outcome, sentiment, canEdit }: { id: string; outcome: string | null; sentiment: Sentiment | null; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(outcome ?? "");
  const [mood, setMood] = useState<Sentiment | "">(sentiment ?? "");
  const update = useMutation(
    trpc.calls.update.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.calls.get.queryKey({ id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.calls.list.infiniteQueryKey() }),
        ]),
    }),
  );
  const errors = formErrors(update.error, ["outcome", "sentiment"] as const);
  if (!canEdit) return <p className="text-sm whitespace-pre-wrap text-slate-700">{outcome ?? "No outcome recorded."}</p>;
  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate({ id, outcome: text.trim() || null, sentiment: mood || null });
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Call outcome" className="space-y-4">
      <FormError message={errors.form} />
      <Field label="Outcome" error={errors.fields.outcome}>
        <Textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      <Field label="Sentiment" error={errors.fields.sentiment}>
        <Select value={mood} onChange={(e) => setMood(e.target.value as Sentiment | "")}>
          <option value="">Not set</option>
          {sentiments.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </Select>
      </Field>
      <div className="flex items-center gap-3">
        <Button type="submit" pending={update.isPending}>
          Save outcome
        </Button>
        {update.isSuccess && (
          <span role="status" className="text-sm text-emerald-700">
            Saved
          </span>
        )}
      </div>
    </form>
  );
}
