import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { FormError } from "../../components/ui/field";
import { SaveRow } from "../../components/ui/save-row";
import { Switch } from "../../components/ui/switch";
import { formErrors } from "../../lib/errors";

/**
 * `security.requireMfa`: members without two-factor authentication are refused. Switching it on needs MFA on the
 * caller's own account first (else they would lock themselves out; the API refuses it too).
 */
export function SecurityForm({
  requireMfa,
  ownMfaEnabled,
  onSubmit,
  pending,
  error,
  disabled,
  saved,
}: {
  requireMfa: boolean;
  ownMfaEnabled: boolean;
  onSubmit: (security: { requireMfa: boolean }) => void;
  pending: boolean;
  error: unknown;
  disabled: boolean;
  saved: boolean;
}) {
  const [value, setValue] = useState(requireMfa);
  const errors = formErrors(error, [] as const);
  const blocked = !requireMfa && !ownMfaEnabled;
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({ requireMfa: value });
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Security">
      <FormError message={errors.form} />
      <Switch
        label="Require two-factor authentication"
        hint="Members who have not turned on two-factor authentication cannot open this tenant or its departments."
        checked={value}
        disabled={disabled || blocked}
        onChange={setValue}
      />
      {blocked && !disabled && (
        <p className="mt-1 text-sm text-amber-800">
          Turn on two-factor authentication for your own account first.{" "}
          <Link to="/security" className="font-medium text-brand hover:underline">
            Set it up
          </Link>
        </p>
      )}
      {!disabled && !blocked && <SaveRow label="Save security" pending={pending} saved={saved} className="mt-4" />}
    </form>
  );
}
