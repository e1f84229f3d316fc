import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formErrors } from "../../lib/errors";
import type { RouterInputs } from "../../lib/trpc";

type SignUpValues = RouterInputs["auth"]["register"];

const fields = ["name", "email", "password"] as const;

/** The server validates; the form shows its field messages (no duplicated rules in the browser). */
export function SignUpForm({ onSubmit, pending, error }: { onSubmit: (v: SignUpValues) => void; pending: boolean; error: unknown }) {
  const [values, setValues] = useState<SignUpValues>({ name: "", email: "", password: "" });
  const errors = formErrors(error, fields);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(values);
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Create account">
      <FormError message={errors.form} />
      <Field label="Name" error={errors.fields.name}>
        <Input name="name" autoComplete="name" value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} />
      </Field>
      <Field label="Email" error={errors.fields.email}>
        <Input
          type="email"
          name="email"
          autoComplete="email"
          value={values.email}
          onChange={(e) => setValues({ ...values, email: e.target.value })}
        />
      </Field>
      <Field label="Password" error={errors.fields.password} hint="At least 10 characters.">
        <Input
          type="password"
          name="password"
          autoComplete="new-password"
          value={values.password}
          onChange={(e) => setValues({ ...values, password: e.target.value })}
        />
      </Field>
      <Button type="submit" pending={pending} className="w-full">
        Create account
      </Button>
    </form>
  );
}
