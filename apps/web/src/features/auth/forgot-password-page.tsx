import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { AuthLayout } from "./auth-layout";

/**
 * `/forgot-password`: asks for a reset link. The API answers the same for every address (no account oracle), so
 * the page does too: "if an account exists, a link is on its way".
 */
export function ForgotPasswordPage() {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const errors = formErrors(request.error, ["email"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    request.mutate({ email });
  }
  return (
    <AuthLayout
      title="Reset your password"
      footer={
        <Link to="/sign-in" className="font-medium text-brand hover:underline">
          Back to sign in
        </Link>
      }
    >
      {request.isSuccess ? (
        <p role="status" className="text-sm text-slate-700">
          If an account exists for <span className="font-medium text-slate-900">{request.variables.email}</span>, we have emailed it a link
          to choose a new password. The link works once, for one hour.
        </p>
      ) : (
        <form onSubmit={submit} noValidate className="space-y-4" aria-label="Reset password">
          <p className="text-sm text-slate-600">Enter the email address of your account and we will email you a link to choose a new password.</p>
          <FormError message={errors.form} />
          <Field label="Email" error={errors.fields.email}>
            <Input type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Button type="submit" pending={request.isPending} className="w-full">
            Email me a link
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
