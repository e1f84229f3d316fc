import { type FormEvent, useState } from "react";
import { CheckboxGroup } from "../../components/ui/checkbox-group";
import { DialogFormActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formErrors } from "../../lib/errors";
import { type WebhookEvent, webhookEventLabel, webhookEvents } from "./webhook-meta";

export interface WebhookValues {
  url: string;
  description: string;
  events: WebhookEvent[];
}

const fields = ["url", "events", "description"] as const;

/** A new endpoint starts with what most receivers want: conversations and their messages. */
export const defaultWebhookEvents: WebhookEvent[] = ["engagement.created", "engagement.updated", "message.created"];

/**
 * Where events go and which ones. The URL must be https and public (the API checks it, and checks it again at
 * every delivery); the form only insists on one event at least, the rest is the server's answer.
 */
export function WebhookForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  pending,
  error,
}: {
  initial?: WebhookValues;
  submitLabel: string;
  onSubmit: (v: WebhookValues) => void;
  onCancel: () => void;
  pending: boolean;
  error: unknown;
}) {
  const [url, setUrl] = useState(initial?.url ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [events, setEvents] = useState<ReadonlySet<WebhookEvent>>(new Set(initial?.events ?? defaultWebhookEvents));
  const [noEvents, setNoEvents] = useState(false);
  const errors = formErrors(error, fields);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (events.size === 0) return setNoEvents(true);
    setNoEvents(false);
    // In the API's order, whatever order they were ticked in.
    onSubmit({ url: url.trim(), description: description.trim(), events: webhookEvents.filter((ev) => events.has(ev)) });
  }

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel} className="space-y-4">
      <FormError message={errors.form} />
      <Field label="Endpoint URL" error={errors.fields.url} hint="https, on a public address. Switchboard POSTs signed JSON to it.">
        <Input type="url" inputMode="url" autoComplete="off" placeholder="https://example.com/switchboard" value={url} onChange={(e) => setUrl(e.target.value)} />
      </Field>
      <Field label="Description" error={errors.fields.description} hint="Optional: what receives it, e.g. “CRM sync”.">
        <Input value={description} maxLength={200} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <CheckboxGroup
        legend="Events"
        options={webhookEvents.map((ev) => ({ value: ev, label: <code className="font-mono text-xs text-slate-900">{ev}</code>, hint: webhookEventLabel[ev] }))}
        selected={events}
        onChange={setEvents}
        error={noEvents ? "Pick at least one event" : errors.fields.events}
      />
      <DialogFormActions submit={submitLabel} pending={pending} onCancel={onCancel} />
    </form>
  );
}
