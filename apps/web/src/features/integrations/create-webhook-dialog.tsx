import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button";
import { CopyField } from "../../components/ui/copy-button";
import { Dialog, DialogActions } from "../../components/ui/dialog";
import { WebhookForm, type WebhookValues } from "./webhook-form";

/**
 * Adding an endpoint. Its signing secret is kept only in this dialog's state while it is open and dropped when it
 * closes: the API stores it sealed and never shows it again.
 */
export function CreateWebhookDialog({
  open,
  onOpenChange,
  create,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  create: (values: WebhookValues) => Promise<{ secret: string }>;
}) {
  // gcTime 0: the answer (the secret) leaves the mutation cache as soon as the dialog lets go of it.
  const mutation = useMutation({ mutationFn: (values: WebhookValues) => create(values), gcTime: 0 });
  const secret = mutation.data?.secret ?? null;
  // A fresh form each time the dialog opens.
  const [attempt, setAttempt] = useState(0);

  function close(next: boolean) {
    if (next) return onOpenChange(true);
    mutation.reset();
    setAttempt((n) => n + 1);
    onOpenChange(false);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={secret ? "Your endpoint's signing secret" : "Add a webhook endpoint"}
      description={secret ? undefined : "Switchboard sends each event you pick to this URL, signed (Standard Webhooks), and retries for 24 hours."}
      wide
    >
      {secret ? (
        <div className="space-y-4">
          <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
            Copy this secret now. It is shown only once: your receiver needs it to check each request's signature.
          </p>
          <CopyField value={secret} label="Signing secret" testId="new-webhook-secret" />
          <p className="text-xs text-slate-600">
            Each request carries <code className="rounded bg-slate-100 px-1">webhook-id</code>,{" "}
            <code className="rounded bg-slate-100 px-1">webhook-timestamp</code> and{" "}
            <code className="rounded bg-slate-100 px-1">webhook-signature</code>; verify them with any Standard Webhooks library or the
            SDK's <code className="rounded bg-slate-100 px-1">verifyWebhook</code>.
          </p>
          <DialogActions>
            <Button onClick={() => close(false)}>I have copied it</Button>
          </DialogActions>
        </div>
      ) : (
        <WebhookForm
          key={attempt}
          submitLabel="Add endpoint"
          pending={mutation.isPending}
          error={mutation.error}
          onSubmit={(v) => mutation.mutate(v)}
          onCancel={() => close(false)}
        />
      )}
    </Dialog>
  );
}
