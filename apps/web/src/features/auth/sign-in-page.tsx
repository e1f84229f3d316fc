import { useMutation, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate, useRouter } from "@tanstack/react-router";
import { useTRPC } from "../../lib/trpc";
import { AuthLayout } from "./auth-layout";
import { SignInForm } from "./sign-in-form";

const route = getRouteApi("/sign-in");

const reasons: Record<string, string> = {
  "link-expired": "That sign-in link has expired or was already used. Sign in again to continue.",
  "signed-out": "You have been signed out.",
  "session-expired": "Your session has ended. Sign in again to continue.",
};

export function SignInPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const router = useRouter();
  const { reason, redirect } = route.useSearch();
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async () => {
        // Everything cached belonged to the signed-out state.
        queryClient.clear();
        // Back to where the user was headed (an invitation link, a deep link), else home.
        if (redirect) router.history.push(redirect);
        else await navigate({ to: "/" });
      },
    }),
  );
  const notice = reason ? reasons[reason] : undefined;
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
      <SignInForm onSubmit={(v) => login.mutate(v)} pending={login.isPending || login.isSuccess} error={login.error} />
    </AuthLayout>
  );
}
