import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formErrors } from "../../lib/errors";

/**
 * What people type for a code: the 6 digits of their app (often pasted as "123 456") or a recovery code (as shown,
 * with its dash; pasted with spaces or a line break around it). Inner spaces of a 6-digit code go; a recovery code
 * keeps its characters.
 */
export function normalizeCode(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\s+/g, "");
  return /^\d{6}$/.test(digits) ? digits : trimmed;
}

/** Sign-in's second step and the MFA controls: one field for a TOTP code or a recovery code. */
export function MfaCodeForm({
  onSubmit,
  pending,
  error,
  submitLabel,
  allowRecoveryCode = true,
  label = "Authentication code",
}: {
  onSubmit: (code: string) => void;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  allowRecoveryCode?: boolean;
  label?: string;
}) {
  const [code, setCode] = useState("");
  const errors = formErrors(error, ["code"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    const value = normalizeCode(code);
    if (value) onSubmit(value);
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label={submitLabel}>
      <FormError message={errors.form} />
      <Field
        label={label}
        error={errors.fields.code}
        hint={allowRecoveryCode ? "The 6-digit code from your authenticator app, or one of your recovery codes." : "The 6-digit code from your authenticator app."}
      >
        <Input
          name="code"
          autoComplete="one-time-code"
          inputMode={allowRecoveryCode ? "text" : "numeric"}
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </Field>
      <Button type="submit" pending={pending} disabled={code.trim() === ""} className="w-full">
        {submitLabel}
      </Button>
    </form>
  );
}
