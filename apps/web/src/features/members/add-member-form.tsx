import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { DialogActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Select } from "../../components/ui/select";
import { formErrors } from "../../lib/errors";
import { type Role, roles } from "../../lib/roles";
import type { RouterInputs } from "../../lib/trpc";

type AddMemberValues = RouterInputs["members"]["add"];

/** Roles a caller may hand out: only owners grant `owner`. */
export function grantableRoles(isOwner: boolean): readonly Role[] {
  return isOwner ? roles : roles.filter((r) => r !== "owner");
}

export function AddMemberForm({
  onSubmit,
  onCancel,
  pending,
  error,
  isOwner,
}: {
  onSubmit: (v: AddMemberValues) => void;
  onCancel: () => void;
  pending: boolean;
  error: unknown;
  isOwner: boolean;
}) {
  const [values, setValues] = useState<AddMemberValues>({ email: "", role: "agent" });
  const errors = formErrors(error, ["email", "role"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(values);
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Invite member">
      <FormError message={errors.form} />
      <Field label="Email" error={errors.fields.email} hint="We email them a link; they join when they accept.">
        <Input type="email" name="email" autoComplete="off" value={values.email} onChange={(e) => setValues({ ...values, email: e.target.value })} />
      </Field>
      <Field label="Role" error={errors.fields.role}>
        <Select name="role" value={values.role} onChange={(e) => setValues({ ...values, role: e.target.value as Role })}>
          {grantableRoles(isOwner).map((r) => (
            <option key={r} value={r}>
              {r[0]!.toUpperCase() + r.slice(1)}
            </option>
          ))}
        </Select>
      </Field>
      <DialogActions>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" pending={pending}>
          Send invitation
        </Button>
      </DialogActions>
    </form>
  );
}
