import { useMutation, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { ErrorState, Loading } from "../../components/ui/states";
import { errorMessage } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { AuthLayout } from "./auth-layout";

const route = getRouteApi("/verify-email");

const linkClass = "inline-flex h-9 w-full items-center justify-center rounded-md bg-brand px-3.5 text-sm font-medium text-brand-contrast shadow-sm hover:bg-brand-hover";

/** `/verify-email?token=…` (the link in the verification mail): confirms the address once, signed in or not. */
export function VerifyEmailPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { token } = route.useSearch();
  const verify = useMutation(
    trpc.auth.verifyEmail.mutationOptions({
      // The banner and invitations.mine read the flag from auth.me.
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
    }),
  );
  // The token is single use: send it once, not again on a re-render.
  const sent = useRef(false);
  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    verify.mutate({ token });
  }, [token, verify]);

  if (!token) {
    return (
      <AuthLayout title="Verify your email">
        <ErrorState title="This verification link is incomplete" message="Open the link from the email again, or send a new one from your dashboard." />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Verify your email">
      {verify.isError ? (
        <ErrorState title="Could not verify your address" message={errorMessage(verify.error)}>
          <Link to="/" className="self-center text-sm font-medium text-brand hover:underline">
            Sign in to send a new link
          </Link>
        </ErrorState>
      ) : verify.isSuccess ? (
        <div className="space-y-5">
          <p role="status" className="text-sm text-slate-700">
            Your email address is verified.
          </p>
          <Link to="/" className={linkClass}>
            Continue to Switchboard
          </Link>
        </div>
      ) : (
        <Loading label="Verifying your address…" />
      )}
    </AuthLayout>
  );
}
