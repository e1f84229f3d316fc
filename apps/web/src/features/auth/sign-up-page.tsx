import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useTRPC } from "../../lib/trpc";
import { AuthLayout } from "./auth-layout";
import { SignUpForm } from "./sign-up-form";

export function SignUpPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const register = useMutation(
    trpc.auth.register.mutationOptions({
      onSuccess: async () => {
        queryClient.clear();
        await navigate({ to: "/" });
      },
    }),
  );
  return (
    <AuthLayout
      title="Create your account"
      footer={
        <>
          Already have an account?{" "}
          <Link to="/sign-in" className="font-medium text-brand hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm onSubmit={(v) => register.mutate(v)} pending={register.isPending || register.isSuccess} error={register.error} />
    </AuthLayout>
  );
}
