import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formErrors } from "../../lib/errors";
import type { RouterInputs } from "../../lib/trpc";

type SignInValues = RouterInputs["auth"]["login"];

export function SignInForm({ onSubmit, pending, error }: { onSubmit: (v: SignInValues) => void; pending: boolean; error: unknown }) {
  const [values, setValues] = useState<SignInValues>({ email: "", password: "" });
  const errors = formErrors(error, ["email", "password"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(values);
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Sign in">
      <FormError message={errors.form} />
      <Field label="Email" error={errors.fields.email}>
        <Input
          type="email"
          name="email"
          autoComplete="username"
          value={values.email}
          onChange={(e) => setValues({ ...values, email: e.target.value })}
        />
      </Field>
      <Field label="Password" error={errors.fields.password}>
        <Input
          type="password"
          name="password"
          autoComplete="current-password"
          value={values.password}
          onChange={(e) => setValues({ ...values, password: e.target.value })}
        />
      </Field>
      <Button type="submit" pending={pending} className="w-full">
        Sign in
      </Button>
    </form>
  );
}
