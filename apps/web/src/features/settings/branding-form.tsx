import { type FormEvent, type InputHTMLAttributes, useState } from "react";
import { SaveRow } from "../../components/ui/save-row";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { brandStyle, safeHexColor, safeLogoUrl } from "../../lib/branding";
import { formErrors } from "../../lib/errors";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

type Branding = RouterOutputs["tenant"]["current"]["branding"];

/** What tenant.update receives: every field, an emptied one as null (back to the inherited / default value). */
type BrandingInput = NonNullable<NonNullable<RouterInputs["tenant"]["update"]>["branding"]>;

export function brandingInput(values: { primaryColor: string; secondaryColor: string; logoUrl: string; displayName: string }): BrandingInput {
  const orNull = (s: string) => (s.trim() === "" ? null : s.trim());
  return {
    primaryColor: orNull(values.primaryColor),
    secondaryColor: orNull(values.secondaryColor),
    logoUrl: orNull(values.logoUrl),
    displayName: orNull(values.displayName),
  };
}

const fields = ["branding.primaryColor", "branding.secondaryColor", "branding.logoUrl", "branding.displayName"] as const;

/** A color as a picker plus its hex text (the text is what is sent; the picker only fills it in). */
function ColorInput({
  value,
  onChange,
  ...rest
}: { value: string; onChange: (v: string) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange">) {
  const valid = safeHexColor(value);
  const six = valid && valid.length === 7 ? valid : "#000000";
  return (
    <div className="flex items-center gap-2">
      <input
        type="color"
        aria-hidden="true"
        tabIndex={-1}
        value={six}
        onChange={(e) => onChange(e.target.value)}
        className="h-9 w-11 shrink-0 cursor-pointer rounded-md border border-slate-300 bg-white p-0.5"
      />
      <Input value={value} spellCheck={false} placeholder="#4f46e5" onChange={(e) => onChange(e.target.value)} className="font-mono" {...rest} />
    </div>
  );
}

export function BrandingForm({
  branding,
  tenantName,
  onSubmit,
  pending,
  error,
  disabled,
  saved,
}: {
  branding: Branding;
  tenantName: string;
  onSubmit: (input: BrandingInput) => void;
  pending: boolean;
  error: unknown;
  disabled: boolean;
  saved: boolean;
}) {
  const [values, setValues] = useState({
    primaryColor: branding.primaryColor ?? "",
    secondaryColor: branding.secondaryColor ?? "",
    logoUrl: branding.logoUrl ?? "",
    displayName: branding.displayName ?? "",
  });
  const errors = formErrors(error, fields);
  const set = (k: keyof typeof values) => (v: string) => setValues((s) => ({ ...s, [k]: v }));
  const logo = safeLogoUrl(values.logoUrl);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(brandingInput(values));
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Branding" className="grid gap-6 lg:grid-cols-[1fr_16rem]">
      <fieldset disabled={disabled} className="space-y-4">
        <legend className="sr-only">Branding</legend>
        <FormError message={errors.form} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Primary color" error={errors.fields["branding.primaryColor"]}>
            <ColorInput name="primaryColor" value={values.primaryColor} onChange={set("primaryColor")} />
          </Field>
          <Field label="Secondary color" error={errors.fields["branding.secondaryColor"]}>
            <ColorInput name="secondaryColor" value={values.secondaryColor} onChange={set("secondaryColor")} />
          </Field>
        </div>
        <Field label="Display name" error={errors.fields["branding.displayName"]} hint="Shown in the sidebar instead of the tenant name.">
          <Input name="displayName" value={values.displayName} placeholder={tenantName} onChange={(e) => set("displayName")(e.target.value)} />
        </Field>
        <Field label="Logo URL" error={errors.fields["branding.logoUrl"]} hint="An https:// image URL. Leave empty for the initial.">
          <Input name="logoUrl" type="url" value={values.logoUrl} placeholder="https://…" onChange={(e) => set("logoUrl")(e.target.value)} />
        </Field>
        {!disabled && (
          <SaveRow label="Save branding" pending={pending} saved={saved} />
        )}
      </fieldset>
      {/* Preview with the same validation as the real page: an invalid value shows the default. */}
      <div aria-label="Preview" role="img" style={brandStyle(values.primaryColor)} className="self-start rounded-lg p-4 ring-1 ring-slate-200">
        <p className="mb-3 text-xs font-medium tracking-wide text-slate-500 uppercase">Preview</p>
        <div className="flex items-center gap-2">
          {logo ? (
            <img src={logo} alt="" className="size-8 rounded-md object-contain" referrerPolicy="no-referrer" />
          ) : (
            <span className="grid size-8 place-items-center rounded-md bg-brand text-sm font-bold text-brand-contrast">
              {(values.displayName || tenantName).slice(0, 1).toUpperCase()}
            </span>
          )}
          <span className="truncate text-sm font-semibold text-slate-900">{values.displayName || tenantName}</span>
        </div>
        <span className="mt-4 inline-flex rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-brand-contrast">Primary button</span>
        <span
          className="mt-2 block h-1.5 w-full rounded-full"
          style={{ background: safeHexColor(values.secondaryColor) ?? "var(--brand-secondary)" }}
        />
      </div>
    </form>
  );
}
