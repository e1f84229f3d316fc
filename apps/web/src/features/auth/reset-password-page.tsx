import { useMutation, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { ErrorState } from "../../components/ui/states";
import { useTRPC } from "../../lib/trpc";
import { AuthLayout } from "./auth-layout";
import { NewPasswordForm } from "./new-password-form";

const route = getRouteApi("/reset-password");

/** `/reset-password?token=…` (the link in the reset mail). Every session of the account ends; sign in again. */
export function ResetPasswordPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { token } = route.useSearch();
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: async () => {
        // The API ended every session, this browser's included.
        queryClient.clear();
        await navigate({ to: "/sign-in", search: { reason: "password-reset" } });
      },
    }),
  );
  return (
    <AuthLayout
      title="Choose a new password"
      footer={
        <Link to="/forgot-password" className="font-medium text-brand hover:underline">
          Request a new link
        </Link>
      }
    >
      {token ? (
        <NewPasswordForm onSubmit={({ password }) => reset.mutate({ token, password })} pending={reset.isPending || reset.isSuccess} error={reset.error} />
      ) : (
        <ErrorState title="This reset link is incomplete" message="Open the link from the email again, or request a new one." />
      )}
    </AuthLayout>
  );
}
