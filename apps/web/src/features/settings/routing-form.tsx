import { type FormEvent, useState } from "react";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { SaveRow } from "../../components/ui/save-row";
import { Select } from "../../components/ui/select";
import { enumValues } from "../../lib/enums";
import { formErrors } from "../../lib/errors";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

type Routing = NonNullable<RouterOutputs["tenant"]["current"]["routing"]>;
type RoutingInput = NonNullable<RouterInputs["tenant"]["update"]["routing"]>;
type RoutingMode = Routing["mode"];

const modeLabel: Record<RoutingMode, string> = {
  manual: "Manual: people pick up or assign conversations",
  round_robin: "Round robin: to the online agent with the fewest open conversations",
};
const modes = enumValues(modeLabel);

/** No routing saved yet: manual (the API's default); a cap to start round robin from. */
const startingCap = 10;

/** How a new conversation finds a person: by hand, or round robin among online agents up to a cap each. */
export function RoutingForm({
  routing,
  onSubmit,
  pending,
  error,
  disabled,
  saved,
}: {
  routing: Routing | null;
  onSubmit: (routing: RoutingInput) => void;
  pending: boolean;
  error: unknown;
  disabled: boolean;
  saved: boolean;
}) {
  const [mode, setMode] = useState<RoutingMode>(routing?.mode ?? "manual");
  const [cap, setCap] = useState(String(routing?.maxOpenPerAgent ?? startingCap));
  const [capProblem, setCapProblem] = useState<string | null>(null);
  const errors = formErrors(error, ["routing.mode", "routing.maxOpenPerAgent"] as const);

  function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(cap);
    if (!/^\d+$/.test(cap.trim()) || n < 1 || n > 1000) return setCapProblem("Use a whole number from 1 to 1000");
    setCapProblem(null);
    onSubmit({ mode, maxOpenPerAgent: n });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Routing">
      <fieldset disabled={disabled} className="space-y-4">
        <FormError message={errors.form} />
        <Field label="New conversations" error={errors.fields["routing.mode"]}>
          <Select value={mode} onChange={(e) => setMode(e.target.value as RoutingMode)}>
            {modes.map((m) => (
              <option key={m} value={m}>
                {modeLabel[m]}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label="Open conversations per agent at most"
          hint="Round robin skips agents at this many open conversations; when everyone is, the conversation waits unassigned."
          error={capProblem ?? errors.fields["routing.maxOpenPerAgent"]}
        >
          <Input type="number" inputMode="numeric" min={1} max={1000} value={cap} onChange={(e) => setCap(e.target.value)} className="w-32" />
        </Field>
        {!disabled && <SaveRow label="Save routing" pending={pending} saved={saved} />}
      </fieldset>
    </form>
  );
}
