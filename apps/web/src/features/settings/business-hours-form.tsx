import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { SaveRow } from "../../components/ui/save-row";
import { Select } from "../../components/ui/select";
import { formErrors } from "../../lib/errors";
import {
  browserTimeZone,
  type BusinessHours,
  type DayRow,
  defaultOpening,
  fromRows,
  maxOpeningsPerDay,
  timeZones,
  toRows,
  validateRows,
} from "./business-hours";

/**
 * When the team answers: always (no business hours: the SLA counts every minute), or a weekly schedule in one IANA
 * time zone with up to three openings a day. Problems show on their row before anything is sent.
 */
export function BusinessHoursForm({
  hours,
  onSubmit,
  pending,
  error,
  disabled,
  saved,
}: {
  hours: BusinessHours | null;
  onSubmit: (hours: ReturnType<typeof fromRows> | null) => void;
  pending: boolean;
  error: unknown;
  disabled: boolean;
  saved: boolean;
}) {
  const [scheduled, setScheduled] = useState(hours !== null);
  const [timezone, setTimezone] = useState(hours?.timezone ?? browserTimeZone());
  const [rows, setRows] = useState<DayRow[]>(() => toRows(hours));
  const [checked, setChecked] = useState(false);
  const problems = checked && scheduled ? validateRows(rows) : {};
  const server = formErrors(error, ["businessHours.timezone"] as const);

  const change = (day: number, openings: DayRow["openings"]) => setRows((rs) => rs.map((r) => (r.day === day ? { ...r, openings } : r)));

  function submit(e: FormEvent) {
    e.preventDefault();
    setChecked(true);
    if (!scheduled) return onSubmit(null);
    if (Object.keys(validateRows(rows)).length > 0) return;
    onSubmit(fromRows(timezone, rows));
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Business hours">
      <fieldset disabled={disabled} className="space-y-5">
        <FormError message={problems.form ?? server.form} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">When the team answers</legend>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="radio" name="schedule" checked={!scheduled} onChange={() => setScheduled(false)} className="size-4 accent-brand" />
            Always open (first responses are due in real minutes)
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="radio" name="schedule" checked={scheduled} onChange={() => setScheduled(true)} className="size-4 accent-brand" />
            On a weekly schedule
          </label>
        </fieldset>
        {scheduled && (
          <>
            <div className="space-y-1.5">
              <label htmlFor="business-hours-timezone" className="block text-sm font-medium text-slate-800">
                Time zone
              </label>
              <Select
                id="business-hours-timezone"
                value={timezone}
                onChange={(e) => setTimezone(e.target.value)}
                aria-invalid={server.fields["businessHours.timezone"] ? true : undefined}
                className="sm:w-80"
              >
                {timeZones(timezone).map((z) => (
                  <option key={z} value={z}>
                    {z.replaceAll("_", " ")}
                  </option>
                ))}
              </Select>
              {server.fields["businessHours.timezone"] && (
                <p role="alert" className="text-sm text-red-600">
                  {server.fields["businessHours.timezone"]}
                </p>
              )}
            </div>
            <ul aria-label="Opening hours" className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
              {rows.map((row) => (
                <DayEditor key={row.day} row={row} problems={problems} disabled={disabled} onChange={(o) => change(row.day, o)} />
              ))}
            </ul>
          </>
        )}
        {!disabled && <SaveRow label="Save business hours" pending={pending} saved={saved} />}
      </fieldset>
    </form>
  );
}

function DayEditor({
  row,
  problems,
  disabled,
  onChange,
}: {
  row: DayRow;
  problems: Record<string, string>;
  disabled: boolean;
  onChange: (openings: DayRow["openings"]) => void;
}) {
  const open = row.openings.length > 0;
  const set = (i: number, field: "open" | "close", value: string) =>
    onChange(row.openings.map((o, j) => (j === i ? { ...o, [field]: value } : o)));
  return (
    <li className="flex flex-wrap items-start gap-x-6 gap-y-2 px-4 py-3">
      <label className="flex w-32 items-center gap-2 pt-2 text-sm font-medium text-slate-800">
        <input
          type="checkbox"
          checked={open}
          onChange={(e) => onChange(e.target.checked ? [{ ...defaultOpening }] : [])}
          className="size-4 accent-brand"
        />
        {row.label}
      </label>
      <div className="min-w-0 flex-1 space-y-2">
        {!open && <p className="pt-2 text-sm text-slate-600">Closed</p>}
        {row.openings.map((o, i) => {
          const problem = problems[`${row.day}.${i}`];
          const period = row.openings.length > 1 ? `, period ${i + 1}` : "";
          const errorId = `hours-${row.day}-${i}-error`;
          const described = problem ? { "aria-invalid": true, "aria-describedby": errorId } : {};
          return (
            <div key={i} className="space-y-1">
              <div className="flex flex-wrap items-center gap-2">
                <Input type="time" aria-label={`${row.label} opens${period}`} value={o.open} onChange={(e) => set(i, "open", e.target.value)} className="w-32" {...described} />
                <span className="text-sm text-slate-600">to</span>
                <Input type="time" aria-label={`${row.label} closes${period}`} value={o.close} onChange={(e) => set(i, "close", e.target.value)} className="w-32" {...described} />
                {!disabled && row.openings.length > 1 && (
                  <Button variant="ghost" aria-label={`Remove ${row.label} period ${i + 1}`} onClick={() => onChange(row.openings.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                )}
              </div>
              {problem && (
                <p id={errorId} role="alert" className="text-sm text-red-600">
                  {problem}
                </p>
              )}
            </div>
          );
        })}
        {!disabled && open && row.openings.length < maxOpeningsPerDay && (
          <Button variant="ghost" aria-label={`Add hours to ${row.label}`} onClick={() => onChange([...row.openings, { open: "", close: "" }])}>
            Add hours
          </Button>
        )}
      </div>
    </li>
  );
}
