import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Select, Textarea } from "../../components/ui/select";
import { formErrors } from "../../lib/errors";
import type { RouterInputs } from "../../lib/trpc";
import { EnumOptions } from "./enum-options";
import { type Channel, channelLabel, channels, priorities, type Priority } from "./engagement-meta";

type NewEngagement = RouterInputs["engagements"]["create"];

const fields = ["channel", "customer", "subject", "message", "priority"] as const;

export function CreateEngagementDialog({
  open,
  onOpenChange,
  onSubmit,
  pending,
  error,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSubmit: (v: NewEngagement) => void;
  pending: boolean;
  error: unknown;
}) {
  const [v, setV] = useState({ channel: "email" as Channel, customer: "", subject: "", message: "", priority: "normal" as Priority });
  const errors = formErrors(error, fields);
  function submit(e: FormEvent) {
    e.preventDefault();
    const subject = v.subject.trim();
    onSubmit({ channel: v.channel, customer: v.customer, message: v.message, priority: v.priority, ...(subject ? { subject } : {}) });
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New engagement" description="Log a conversation that started outside Switchboard.">
      <form onSubmit={submit} noValidate aria-label="New engagement" className="space-y-4">
        <FormError message={errors.form} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Channel" error={errors.fields.channel}>
            <Select value={v.channel} onChange={(e) => setV({ ...v, channel: e.target.value as Channel })}>
              <EnumOptions values={channels} label={(c) => channelLabel[c]} />
            </Select>
          </Field>
          <Field label="Priority" error={errors.fields.priority}>
            <Select value={v.priority} onChange={(e) => setV({ ...v, priority: e.target.value as Priority })}>
              <EnumOptions values={priorities} />
            </Select>
          </Field>
        </div>
        <Field label="Customer" error={errors.fields.customer} hint="Their phone number, email address or @handle on that channel.">
          <Input value={v.customer} onChange={(e) => setV({ ...v, customer: e.target.value })} />
        </Field>
        <Field label="Subject" error={errors.fields.subject}>
          <Input value={v.subject} onChange={(e) => setV({ ...v, subject: e.target.value })} />
        </Field>
        <Field label="Message" error={errors.fields.message}>
          <Textarea rows={4} value={v.message} onChange={(e) => setV({ ...v, message: e.target.value })} />
        </Field>
        <DialogActions>
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            Create engagement
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
