import { useState } from "react";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { SaveRow } from "../../components/ui/save-row";
import { Select } from "../../components/ui/select";
import { formErrors } from "../../lib/errors";
import { tierLabel, tiers, type Tier } from "./platform-meta";
import { type Grant, limitLabel, type LimitFeature, type PlanValues, switchLabel, type SwitchFeature, withTier } from "./plan-values";

const fields = ["tier", "maxUsers", "requestsPerMinute", ...Object.keys(limitLabel).map((k) => `features.${k}`)] as const;

/** A tenant's plan: tier, seats, request budget, and features granted beyond the tier (or withheld below it). */
export function PlanForm({
  initial,
  pending,
  saved,
  error,
  onSubmit,
}: {
  initial: PlanValues;
  pending: boolean;
  saved: boolean;
  error: unknown;
  onSubmit: (values: PlanValues) => void;
}) {
  const [v, setV] = useState(initial);
  const errors = formErrors(error, fields);
  const setSwitch = (k: SwitchFeature, g: Grant) => setV((p) => ({ ...p, switches: { ...p.switches, [k]: g } }));
  const setLimit = (k: LimitFeature, s: string) => setV((p) => ({ ...p, limits: { ...p.limits, [k]: s } }));
  return (
    <form
      aria-label="Plan"
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(v);
      }}
    >
      <FormError message={errors.form} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Tier" error={errors.fields.tier} hint="Another tier starts from its seats and budget.">
          <Select value={v.tier} onChange={(e) => setV((p) => withTier(p, e.target.value as Tier))}>
            {tiers.map((t) => (
              <option key={t} value={t}>
                {tierLabel[t]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Seats" error={errors.fields.maxUsers} hint="Empty: the tier's.">
          <Input
            type="number"
            inputMode="numeric"
            min={1}
            max={100000}
            placeholder="Tier's default"
            value={v.maxUsers}
            onChange={(e) => setV((p) => ({ ...p, maxUsers: e.target.value }))}
          />
        </Field>
        <Field label="Requests per minute" error={errors.fields.requestsPerMinute} hint="Empty: the tier's.">
          <Input
            type="number"
            inputMode="numeric"
            min={1}
            max={1000000}
            placeholder="Tier's default"
            value={v.requestsPerMinute}
            onChange={(e) => setV((p) => ({ ...p, requestsPerMinute: e.target.value }))}
          />
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Features beyond the tier</legend>
        <p className="mt-1 text-xs text-slate-600">The tenant may switch these off or lower them itself, never raise them past the plan.</p>
        <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {(Object.keys(switchLabel) as SwitchFeature[]).map((k) => (
            <Field key={k} label={switchLabel[k]}>
              <Select value={v.switches[k]} onChange={(e) => setSwitch(k, e.target.value as Grant)}>
                <option value="">As the tier has it</option>
                <option value="on">Granted</option>
                <option value="off">Withheld</option>
              </Select>
            </Field>
          ))}
          {(Object.keys(limitLabel) as LimitFeature[]).map((k) => (
            <Field key={k} label={`${limitLabel[k]} at most`} error={errors.fields[`features.${k}`]} hint="Empty: the tier's.">
              <Input
                type="number"
                inputMode="numeric"
                min={0}
                max={100000}
                placeholder="Tier's default"
                value={v.limits[k]}
                onChange={(e) => setLimit(k, e.target.value)}
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <SaveRow label="Save plan" pending={pending} saved={saved} />
    </form>
  );
}
