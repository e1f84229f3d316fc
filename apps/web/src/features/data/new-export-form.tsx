import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { CheckboxGroup } from "../../components/ui/checkbox-group";
import { FormError } from "../../components/ui/field";
import { formErrors } from "../../lib/errors";
import { type ExportFormat, type ExportKind, exportFormatLabel, exportFormats, exportKindLabel, exportKinds } from "./export-meta";

export interface ExportValues {
  kinds: ExportKind[];
  format: ExportFormat;
}

/** What to export and as what; the API writes it in the background and lists it below while it runs. */
export function NewExportForm({ onSubmit, pending, error }: { onSubmit: (v: ExportValues) => void; pending: boolean; error: unknown }) {
  const [kinds, setKinds] = useState<ReadonlySet<ExportKind>>(new Set<ExportKind>(["engagements"]));
  const [format, setFormat] = useState<ExportFormat>("ndjson");
  const [noKinds, setNoKinds] = useState(false);
  const errors = formErrors(error, ["kinds", "format"] as const);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (kinds.size === 0) return setNoKinds(true);
    setNoKinds(false);
    // In the API's order, whatever order they were ticked in.
    onSubmit({ kinds: exportKinds.filter((k) => kinds.has(k)), format });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="New export" className="space-y-4">
      <FormError message={errors.form} />
      <CheckboxGroup
        legend="Data"
        inline
        options={exportKinds.map((k) => ({ value: k, label: exportKindLabel[k] }))}
        selected={kinds}
        onChange={setKinds}
        error={noKinds ? "Pick at least one kind of data" : errors.fields.kinds}
      />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Format</legend>
        <ul className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
          {exportFormats.map((f) => (
            <li key={f}>
              <label className="flex items-center gap-2.5 text-sm text-slate-800">
                <input
                  type="radio"
                  name="export-format"
                  className="size-4 accent-[var(--brand)]"
                  value={f}
                  checked={format === f}
                  onChange={() => setFormat(f)}
                />
                {exportFormatLabel[f]}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <Button type="submit" pending={pending}>
        Start export
      </Button>
    </form>
  );
}
