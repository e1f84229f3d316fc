import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { CopyField } from "../../components/ui/copy-button";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { SaveRow } from "../../components/ui/save-row";
import { Skeleton } from "../../components/ui/skeleton";
import { ErrorState } from "../../components/ui/states";
import { errorMessage, formErrors } from "../../lib/errors";
import { type RouterInputs, type RouterOutputs, useTRPC } from "../../lib/trpc";
import { ConfirmDeleteDialog } from "../settings/confirm-delete-dialog";

type TwilioCredentials = RouterInputs["integrations"]["twilio"]["set"];

/**
 * Twilio: the account's SID and auth token (the token is stored encrypted and never shown again; it checks every
 * callback's X-Twilio-Signature), who replies go out from, and the two callback URLs to paste into Twilio's console.
 */
export function TwilioSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const twilio = useQuery(trpc.integrations.twilio.get.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.integrations.twilio.get.queryKey() });
  const [saved, setSaved] = useState(0);
  const [removing, setRemoving] = useState(false);
  const set = useMutation(trpc.integrations.twilio.set.mutationOptions({ onSuccess: async () => (await refresh(), setSaved((n) => n + 1)) }));
  const remove = useMutation(trpc.integrations.twilio.delete.mutationOptions({ onSuccess: async () => (await refresh(), setRemoving(false)) }));

  if (twilio.isPending) return <Skeleton className="h-40 w-full" />;
  if (twilio.isError) {
    return <ErrorState title="Could not load the Twilio settings" message={errorMessage(twilio.error)} onRetry={() => void twilio.refetch()} />;
  }
  const t = twilio.data;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        {t.configured ? <Badge tone="good">Connected</Badge> : <Badge tone="neutral">Not connected</Badge>}
        {t.configured && t.accountSid && (
          <span className="font-mono text-xs text-slate-700" data-testid="twilio-account-sid">
            {t.accountSid}
          </span>
        )}
      </div>
      <TwilioForm
        key={saved}
        current={t}
        pending={set.isPending}
        error={set.error}
        saved={saved > 0 && set.isSuccess}
        onSubmit={(v) => set.mutate(v)}
      />
      <div className="space-y-3 border-t border-slate-100 pt-5">
        <h3 className="text-sm font-semibold text-slate-900">Callback URLs</h3>
        <p className="text-sm text-slate-600">
          In Twilio's console, set the phone number's <em>call status changes</em> callback to the voice URL and its <em>a message comes in</em>{" "}
          webhook (SMS and WhatsApp senders) to the messages URL, both HTTP POST.
        </p>
        <div className="space-y-1">
          <p className="text-xs font-medium text-slate-600">Voice status callbacks</p>
          <CopyField value={t.voiceUrl} label="Voice callback URL" testId="twilio-voice-url" />
        </div>
        <div className="space-y-1">
          <p className="text-xs font-medium text-slate-600">Incoming messages</p>
          <CopyField value={t.messagesUrl} label="Messages callback URL" testId="twilio-messages-url" />
        </div>
      </div>
      {t.configured && (
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-5">
          <p className="text-sm text-slate-600">Disconnecting deletes the stored token: callbacks are refused until you connect again.</p>
          <Button variant="danger-ghost" onClick={() => (remove.reset(), setRemoving(true))}>
            Disconnect Twilio
          </Button>
        </div>
      )}
      <ConfirmDeleteDialog
        open={removing}
        title="Disconnect Twilio?"
        description="The auth token is deleted and Twilio's callbacks are refused from now on. Calls and messages received so far stay."
        action="Disconnect"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => setRemoving(false)}
      />
    </div>
  );
}

/** Who replies go out from: optional, not secret (shown again). */
const senderFields = ["fromNumber", "messagingServiceSid", "whatsappFrom"] as const;
type Sender = (typeof senderFields)[number];

export function TwilioForm({
  current,
  pending,
  error,
  saved,
  onSubmit,
}: {
  current: Pick<RouterOutputs["integrations"]["twilio"]["get"], "configured" | "accountSid" | Sender>;
  pending: boolean;
  error: unknown;
  saved: boolean;
  onSubmit: (v: TwilioCredentials) => void;
}) {
  const [sid, setSid] = useState(current.accountSid ?? "");
  const [token, setToken] = useState("");
  const [senders, setSenders] = useState<Record<Sender, string>>({
    fromNumber: current.fromNumber ?? "",
    messagingServiceSid: current.messagingServiceSid ?? "",
    whatsappFrom: current.whatsappFrom ?? "",
  });
  const errors = formErrors(error, ["accountSid", "authToken", ...senderFields] as const);
  const sender = (key: Sender) => ({ value: senders[key], spellCheck: false, onChange: (e: ChangeEvent<HTMLInputElement>) => setSenders({ ...senders, [key]: e.target.value }) });
  function submit(e: FormEvent) {
    e.preventDefault();
    // `set` replaces everything: a sender left empty is removed.
    const given = Object.fromEntries(senderFields.flatMap((k) => (senders[k].trim() ? [[k, senders[k].trim()]] : [])));
    onSubmit({ accountSid: sid.trim(), authToken: token.trim(), ...given });
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Twilio credentials" className="space-y-4">
      <FormError message={errors.form} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Account SID" error={errors.fields.accountSid} hint="Starts with AC; on your Twilio console's dashboard.">
          <Input value={sid} autoComplete="off" spellCheck={false} onChange={(e) => setSid(e.target.value)} />
        </Field>
        <Field
          label="Auth token"
          error={errors.fields.authToken}
          hint={current.configured ? "Stored encrypted and never shown. Enter it again to change anything here." : "Stored encrypted and never shown again."}
        >
          <Input type="password" value={token} autoComplete="new-password" spellCheck={false} onChange={(e) => setToken(e.target.value)} />
        </Field>
      </div>
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-800">Replies are sent from (optional)</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="SMS number" error={errors.fields.fromNumber} hint="E.164, e.g. +15551234567.">
            <Input type="tel" inputMode="tel" {...sender("fromNumber")} />
          </Field>
          <Field label="Messaging Service SID" error={errors.fields.messagingServiceSid} hint="MG…; instead of an SMS number.">
            <Input {...sender("messagingServiceSid")} />
          </Field>
          <Field label="WhatsApp number" error={errors.fields.whatsappFrom} hint="Your WhatsApp sender, E.164.">
            <Input type="tel" inputMode="tel" {...sender("whatsappFrom")} />
          </Field>
        </div>
      </fieldset>
      <SaveRow label={current.configured ? "Replace credentials" : "Connect Twilio"} pending={pending} saved={saved} />
    </form>
  );
}
