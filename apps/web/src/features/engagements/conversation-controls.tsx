import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "../../components/ui/badge";
import { Card, CardTitle } from "../../components/ui/card";
import { CopyField } from "../../components/ui/copy-button";
import { Select } from "../../components/ui/select";
import { ErrorState } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { formatDateTime, humanize } from "../../lib/format";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { EnumOptions } from "./enum-options";
import { type EngagementStatus, priorities, type Priority, priorityTone, statuses, statusTone } from "./engagement-meta";

type Engagement = RouterOutputs["engagements"]["get"];

const availabilityText = { online: "online", away: "away", offline: "offline" } as const;

/**
 * Status, assignee, priority and labels of a conversation (controls for agents and above, text for viewers), and
 * its customer satisfaction: the customer's survey answer, or the survey link once resolved.
 */
export function ConversationControls({ engagement: e, canWrite }: { engagement: Engagement; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.members.list.queryOptions({ limit: 100 }));
  const availability = useQuery(trpc.availability.list.queryOptions({ limit: 100 }));
  const labels = useQuery(trpc.labels.list.queryOptions({ limit: 100 }));

  const refresh = {
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.engagements.get.queryKey({ id: e.id }) }),
        queryClient.invalidateQueries({ queryKey: trpc.engagements.list.infiniteQueryKey() }),
      ]),
  };
  const setStatus = useMutation(trpc.engagements.updateStatus.mutationOptions(refresh));
  const assign = useMutation(trpc.engagements.assign.mutationOptions(refresh));
  const setPriority = useMutation(trpc.engagements.setPriority.mutationOptions(refresh));
  const setLabels = useMutation(trpc.engagements.setLabels.mutationOptions(refresh));
  const rate = useMutation(trpc.engagements.rate.mutationOptions(refresh));
  const error = setStatus.error ?? assign.error ?? setPriority.error ?? setLabels.error ?? rate.error;

  const presence = new Map(availability.data?.items.map((a) => [a.userId, a]));
  const assignees = (members.data?.items ?? []).filter((m) => m.role !== "viewer");
  const assigneeName = e.assignedUserId ? (members.data?.items.find((m) => m.userId === e.assignedUserId)?.name ?? "Someone else") : null;
  const allLabels = labels.data?.items ?? [];

  function toggleLabel(id: string, on: boolean) {
    const next = on ? [...e.labelIds, id] : e.labelIds.filter((l) => l !== id);
    setLabels.mutate({ id: e.id, labelIds: next });
  }

  return (
    <>
      <Card>
        <CardTitle>Conversation</CardTitle>
        {error && (
          <div className="mb-4">
            <ErrorState title="That change was not saved" message={errorMessage(error)} />
          </div>
        )}
        {canWrite ? (
          <div className="space-y-4">
            <label className="block space-y-1.5 text-sm font-medium text-slate-800">
              <span>Status</span>
              <Select value={e.status} onChange={(ev) => setStatus.mutate({ id: e.id, status: ev.target.value as EngagementStatus })}>
                <EnumOptions values={statuses} />
              </Select>
            </label>
            <label className="block space-y-1.5 text-sm font-medium text-slate-800">
              <span>Assignee</span>
              <Select value={e.assignedUserId ?? ""} onChange={(ev) => assign.mutate({ id: e.id, userId: ev.target.value || null })}>
                <option value="">Unassigned</option>
                {assignees.map((m) => {
                  const a = presence.get(m.userId);
                  return (
                    <option key={m.userId} value={m.userId}>
                      {a ? `${m.name} (${availabilityText[a.status]}, ${a.openEngagements} open)` : m.name}
                    </option>
                  );
                })}
                {e.assignedUserId && !assignees.some((m) => m.userId === e.assignedUserId) && <option value={e.assignedUserId}>Someone else</option>}
              </Select>
            </label>
            <label className="block space-y-1.5 text-sm font-medium text-slate-800">
              <span>Priority</span>
              <Select value={e.priority} onChange={(ev) => setPriority.mutate({ id: e.id, priority: ev.target.value as Priority })}>
                <EnumOptions values={priorities} />
              </Select>
            </label>
            <fieldset>
              <legend className="text-sm font-medium text-slate-800">Labels</legend>
              {allLabels.length === 0 ? (
                <p className="mt-1 text-sm text-slate-600">No labels yet: admins add them in Settings.</p>
              ) : (
                <div className="mt-2 flex flex-wrap gap-2">
                  {allLabels.map((l) => (
                    <label key={l.id} className="inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-sm text-slate-800 ring-1 ring-slate-300 ring-inset">
                      <input
                        type="checkbox"
                        checked={e.labelIds.includes(l.id)}
                        disabled={setLabels.isPending}
                        onChange={(ev) => toggleLabel(l.id, ev.target.checked)}
                        className="accent-brand"
                      />
                      <span aria-hidden="true" className="size-2.5 rounded-full" style={{ backgroundColor: l.color }} />
                      {l.name}
                    </label>
                  ))}
                </div>
              )}
            </fieldset>
          </div>
        ) : (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-3 text-sm">
            <dt className="text-slate-600">Status</dt>
            <dd>
              <Badge tone={statusTone[e.status]}>{humanize(e.status)}</Badge>
            </dd>
            <dt className="text-slate-600">Assignee</dt>
            <dd className="text-slate-900">{assigneeName ?? "Unassigned"}</dd>
            <dt className="text-slate-600">Priority</dt>
            <dd>
              <Badge tone={priorityTone[e.priority]}>{humanize(e.priority)}</Badge>
            </dd>
            <dt className="text-slate-600">Labels</dt>
            <dd className="flex flex-wrap gap-1">
              {e.labelIds.length === 0
                ? "None"
                : allLabels.filter((l) => e.labelIds.includes(l.id)).map((l) => <Badge key={l.id}>{l.name}</Badge>)}
            </dd>
          </dl>
        )}
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 border-t border-slate-100 pt-4 text-sm">
          <dt className="text-slate-600">Opened</dt>
          <dd className="text-slate-900">{formatDateTime(e.createdAt)}</dd>
          <dt className="text-slate-600">First response</dt>
          <dd className="text-slate-900">{formatDateTime(e.firstResponseAt)}</dd>
          {e.resolvedAt && (
            <>
              <dt className="text-slate-600">Resolved</dt>
              <dd className="text-slate-900">{formatDateTime(e.resolvedAt)}</dd>
            </>
          )}
        </dl>
      </Card>
      <Card>
        <CardTitle>Satisfaction</CardTitle>
        <Satisfaction e={e} canWrite={canWrite} onRate={(csat) => rate.mutate({ id: e.id, csat })} />
      </Card>
    </>
  );
}

function Satisfaction({ e, canWrite, onRate }: { e: Engagement; canWrite: boolean; onRate: (csat: number) => void }) {
  return (
    <div className="space-y-3 text-sm">
      {e.csat !== null ? (
        <div data-testid="csat">
          <p className="text-slate-900">
            <span className="text-lg font-semibold">{e.csat} / 5</span>{" "}
            <span className="text-slate-600">{e.csatSource === "customer" ? "rated by the customer" : "recorded by an agent"}</span>
          </p>
          {e.csatComment && <blockquote className="mt-2 border-l-2 border-slate-300 pl-3 whitespace-pre-wrap text-slate-800">{e.csatComment}</blockquote>}
        </div>
      ) : (
        <p className="text-slate-600">{e.status === "resolved" ? "The customer has not answered the survey yet." : "The survey is sent when the conversation is resolved."}</p>
      )}
      {canWrite && e.csatSurveyUrl && e.csatSource !== "customer" && (
        <div className="space-y-1.5">
          <p className="font-medium text-slate-800">Survey link</p>
          <CopyField value={e.csatSurveyUrl} label="Survey link" testId="csat-survey-url" />
        </div>
      )}
      {canWrite && e.csatSource !== "customer" && (
        <label className="flex items-center gap-2 text-slate-700">
          Record a rating
          <Select className="w-24" value={e.csat ?? ""} onChange={(ev) => ev.target.value && onRate(Number(ev.target.value))}>
            <option value="">—</option>
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </Select>
        </label>
      )}
    </div>
  );
}
