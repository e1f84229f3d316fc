import { type FormEvent, useState } from "react";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { SaveRow } from "../../components/ui/save-row";
import { formErrors } from "../../lib/errors";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

type Retention = RouterOutputs["tenant"]["current"]["retention"];
type RetentionInput = NonNullable<RouterInputs["tenant"]["update"]["retention"]>;

const MAX_DAYS = 3650;
const fields = ["retention.transcriptsDays", "retention.messagesDays"] as const;

/** "" → null (keep), "30" → 30, anything else → an error message for the field. */
export function parseDays(value: string): { days: number | null } | { problem: string } {
  const v = value.trim();
  if (v === "") return { days: null };
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > MAX_DAYS) return { problem: `Use a whole number of days from 1 to ${MAX_DAYS}, or leave it empty` };
  return { days: n };
}

/**
 * How long transcripts and message bodies are kept. Empty keeps them; a number of days lets the daily job remove
 * older ones (the calls and conversations themselves stay, with their times and counts). Owners change it.
 */
export function RetentionForm({
  retention,
  onSubmit,
  pending,
  error,
  disabled,
  saved,
}: {
  retention: Retention;
  onSubmit: (retention: RetentionInput) => void;
  pending: boolean;
  error: unknown;
  disabled: boolean;
  saved: boolean;
}) {
  const [transcripts, setTranscripts] = useState(String(retention.transcriptsDays ?? ""));
  const [messages, setMessages] = useState(String(retention.messagesDays ?? ""));
  const [problems, setProblems] = useState<{ transcripts?: string; messages?: string }>({});
  const errors = formErrors(error, fields);

  function submit(e: FormEvent) {
    e.preventDefault();
    const t = parseDays(transcripts);
    const m = parseDays(messages);
    const next = { ...("problem" in t ? { transcripts: t.problem } : {}), ...("problem" in m ? { messages: m.problem } : {}) };
    setProblems(next);
    if ("problem" in t || "problem" in m) return;
    onSubmit({ transcriptsDays: t.days, messagesDays: m.days });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Retention">
      <fieldset disabled={disabled} className="space-y-4">
        <FormError message={errors.form} />
        <DaysField
          label="Delete call transcripts after (days)"
          hint="Empty: keep them. The calls stay, with their times and outcomes."
          value={transcripts}
          onChange={setTranscripts}
          error={problems.transcripts ?? errors.fields["retention.transcriptsDays"]}
        />
        <DaysField
          label="Delete message texts after (days)"
          hint="Empty: keep them. Conversations stay, with who wrote when; the texts read “removed”."
          value={messages}
          onChange={setMessages}
          error={problems.messages ?? errors.fields["retention.messagesDays"]}
        />
        {!disabled && <SaveRow label="Save retention" pending={pending} saved={saved} className="pt-2" />}
      </fieldset>
    </form>
  );
}

function DaysField(props: { label: string; hint: string; value: string; onChange: (v: string) => void; error: string | undefined }) {
  return (
    <Field label={props.label} hint={props.hint} error={props.error}>
      <Input
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_DAYS}
        placeholder="Keep"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className="w-32"
      />
    </Field>
  );
}
