import { type FormEvent, useState } from "react";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { SaveRow } from "../../components/ui/save-row";
import { Switch } from "../../components/ui/switch";
import { formErrors } from "../../lib/errors";
import type { RouterOutputs } from "../../lib/trpc";

type Sla = NonNullable<RouterOutputs["tenant"]["current"]["sla"]>;

/** The first-response promise, counted in business minutes (business hours above); off: no promise, no badge. */
export function SlaForm({
  sla,
  onSubmit,
  pending,
  error,
  disabled,
  saved,
}: {
  sla: Sla | null;
  onSubmit: (sla: { firstResponseMinutes: number } | null) => void;
  pending: boolean;
  error: unknown;
  disabled: boolean;
  saved: boolean;
}) {
  const current = sla?.firstResponseMinutes ?? null;
  const [on, setOn] = useState(current !== null);
  const [value, setValue] = useState(String(current ?? 60));
  const [problem, setProblem] = useState<string | null>(null);
  const errors = formErrors(error, ["sla.firstResponseMinutes"] as const);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!on) return onSubmit(null);
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < 1 || n > 100_000) return setProblem("Use a whole number of minutes from 1 to 100000");
    setProblem(null);
    onSubmit({ firstResponseMinutes: n });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="SLA">
      <fieldset disabled={disabled} className="space-y-2">
        <FormError message={errors.form} />
        <Switch
          label="Promise a first response"
          hint="Conversations show when their first reply is due, and are flagged once it is late."
          checked={on}
          disabled={disabled}
          onChange={setOn}
        />
        {on && (
          <Field label="First response within (business minutes)" error={problem ?? errors.fields["sla.firstResponseMinutes"]}>
            <Input type="number" inputMode="numeric" min={1} max={100_000} value={value} onChange={(e) => setValue(e.target.value)} className="w-32" />
          </Field>
        )}
        {!disabled && <SaveRow label="Save SLA" pending={pending} saved={saved} className="pt-2" />}
      </fieldset>
    </form>
  );
}
