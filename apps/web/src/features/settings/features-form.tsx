import { type FormEvent, useState } from "react";
import { SaveRow } from "../../components/ui/save-row";
import { FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Switch } from "../../components/ui/switch";
import { formErrors } from "../../lib/errors";
import type { RouterOutputs } from "../../lib/trpc";

type Features = RouterOutputs["tenant"]["current"]["features"];

const toggles: { key: "voiceAgents" | "chatAgents" | "callRecording" | "analytics"; label: string; hint: string }[] = [
  { key: "voiceAgents", label: "Voice agents", hint: "AI agents that answer and place phone calls." },
  { key: "chatAgents", label: "Chat agents", hint: "AI agents for web chat and messaging channels." },
  { key: "callRecording", label: "Call recording", hint: "Keep recordings and transcripts of calls." },
  { key: "analytics", label: "Analytics", hint: "Volume, response time and satisfaction reports." },
];

export function FeaturesForm({
  features,
  onSubmit,
  pending,
  error,
  disabled,
  saved,
}: {
  features: Features;
  onSubmit: (f: Features) => void;
  pending: boolean;
  error: unknown;
  disabled: boolean;
  saved: boolean;
}) {
  const [values, setValues] = useState<Features>(features);
  const errors = formErrors(error, ["features.maxAgents", "features.maxConcurrentCalls"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(values);
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Features">
      <FormError message={errors.form} />
      <div className="divide-y divide-slate-100">
        {toggles.map((t) => (
          <Switch
            key={t.key}
            label={t.label}
            hint={t.hint}
            checked={values[t.key]}
            disabled={disabled}
            onChange={(v) => setValues((s) => ({ ...s, [t.key]: v }))}
          />
        ))}
      </div>
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        {(
          [
            ["maxAgents", "Maximum AI agents"],
            ["maxConcurrentCalls", "Maximum concurrent calls"],
          ] as const
        ).map(([key, label]) => {
          const err = errors.fields[`features.${key}`];
          return (
            <label key={key} className="space-y-1.5 text-sm font-medium text-slate-800">
              {label}
              <Input
                type="number"
                min={0}
                value={String(values[key])}
                disabled={disabled}
                aria-invalid={err ? true : undefined}
                onChange={(e) => setValues((s) => ({ ...s, [key]: e.target.value === "" ? 0 : Number(e.target.value) }))}
              />
              {err && (
                <span role="alert" className="block text-sm font-normal text-red-600">
                  {err}
                </span>
              )}
            </label>
          );
        })}
      </div>
      {!disabled && (
        <SaveRow label="Save features" pending={pending} saved={saved} className="mt-5" />
      )}
    </form>
  );
}
