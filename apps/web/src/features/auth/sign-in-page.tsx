import { useMutation, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate, useRouter } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button";
import { useTRPC } from "../../lib/trpc";
import { AuthLayout } from "./auth-layout";
import { MfaCodeForm } from "./mfa-code-form";
import { SignInForm } from "./sign-in-form";

const route = getRouteApi("/sign-in");

const reasons: Record<string, string> = {
  "link-expired": "That sign-in link has expired or was already used. Sign in again to continue.",
  "signed-out": "You have been signed out.",
  "session-expired": "Your session has ended. Sign in again to continue.",
  "password-reset": "Your password has been changed and every session ended. Sign in with the new password.",
};

/**
 * Sign in: email and password, then, for accounts with two-factor authentication, a code (auth.login answers
 * `{ mfaRequired, challenge }` and no session; auth.loginMfa exchanges the challenge and a code for one).
 */
export function SignInPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const router = useRouter();
  const { reason, redirect } = route.useSearch();
  const [challenge, setChallenge] = useState<string | null>(null);
  const signedIn = async () => {
    // Everything cached belonged to the signed-out state.
    queryClient.clear();
    // Back to where the user was headed (an invitation link, a deep link), else home.
    if (redirect) router.history.push(redirect);
    else await navigate({ to: "/" });
  };
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async (result) => {
        if ("mfaRequired" in result && result.mfaRequired) setChallenge(result.challenge);
        else await signedIn();
      },
    }),
  );
  const loginMfa = useMutation(trpc.auth.loginMfa.mutationOptions({ onSuccess: signedIn }));
  const notice = reason ? reasons[reason] : undefined;

  if (challenge) {
    return (
      <AuthLayout
        title="Two-factor authentication"
        footer={
          <Button
            variant="ghost"
            onClick={() => {
              setChallenge(null);
              login.reset();
              loginMfa.reset();
            }}
          >
            Start over
          </Button>
        }
      >
        <p className="mb-4 text-sm text-slate-600">Enter the code from your authenticator app. Lost your device? Use one of your recovery codes.</p>
        <MfaCodeForm
          submitLabel="Verify"
          onSubmit={(code) => loginMfa.mutate({ challenge, code })}
          pending={loginMfa.isPending || loginMfa.isSuccess}
          error={loginMfa.error}
        />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Sign in"
      footer={
        <>
          New to Switchboard?{" "}
          <Link to="/sign-up" search={redirect ? { redirect } : {}} className="font-medium text-brand hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      {notice && (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-200">
          {notice}
        </p>
      )}
      <SignInForm
        onSubmit={(v) => login.mutate(v)}
        pending={login.isPending || (login.isSuccess && !challenge)}
        error={login.error}
      />
      <p className="mt-4 text-center text-sm">
        <Link to="/forgot-password" className="font-medium text-brand hover:underline">
          Forgot your password?
        </Link>
      </p>
    </AuthLayout>
  );
}
