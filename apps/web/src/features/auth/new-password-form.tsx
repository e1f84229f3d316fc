import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formErrors } from "../../lib/errors";

export interface NewPasswordValues {
  password: string;
  /** Only with `askCurrent` (changing a password while signed in). */
  currentPassword?: string;
}

/**
 * A new password typed twice (the reset page; with `askCurrent`, the security page's password change). The only
 * rule checked here is that both entries match (a typo would lock the user out); length and the common-password
 * list are the server's, shown on the field it names (`password` for a reset, `newPassword` for a change).
 */
export function NewPasswordForm({
  onSubmit,
  pending,
  error,
  askCurrent = false,
  saved = false,
}: {
  onSubmit: (values: NewPasswordValues) => void;
  pending: boolean;
  error: unknown;
  askCurrent?: boolean;
  saved?: boolean;
}) {
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const errors = formErrors(error, ["password", "newPassword", "currentPassword"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    onSubmit(askCurrent ? { password, currentPassword: current } : { password });
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label={askCurrent ? "Change password" : "Choose a new password"}>
      <FormError message={errors.form} />
      {askCurrent && (
        <Field label="Current password" error={errors.fields.currentPassword}>
          <Input type="password" name="current-password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </Field>
      )}
      <Field label="New password" error={errors.fields.password ?? errors.fields.newPassword} hint="At least 10 characters, not a commonly used password.">
        <Input type="password" name="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      <Field label="Repeat the new password" error={mismatch ? "The two passwords differ" : null}>
        <Input type="password" name="confirm" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </Field>
      <div className="flex items-center gap-3">
        <Button type="submit" pending={pending} className={askCurrent ? undefined : "w-full"}>
          {askCurrent ? "Change password" : "Set new password"}
        </Button>
        {saved && !pending && (
          <span role="status" className="text-sm text-emerald-700">
            Password changed. Your other sessions were signed out.
          </span>
        )}
      </div>
    </form>
  );
}
