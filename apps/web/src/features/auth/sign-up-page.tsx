import { useMutation, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate, useRouter } from "@tanstack/react-router";
import { useTRPC } from "../../lib/trpc";
import { AuthLayout } from "./auth-layout";
import { SignUpForm } from "./sign-up-form";

const route = getRouteApi("/sign-up");

export function SignUpPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const router = useRouter();
  const { redirect } = route.useSearch();
  const register = useMutation(
    trpc.auth.register.mutationOptions({
      onSuccess: async () => {
        queryClient.clear();
        if (redirect) router.history.push(redirect);
        else await navigate({ to: "/" });
      },
    }),
  );
  return (
    <AuthLayout
      title="Create your account"
      footer={
        <>
          Already have an account?{" "}
          <Link to="/sign-in" search={redirect ? { redirect } : {}} className="font-medium text-brand hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm onSubmit={(v) => register.mutate(v)} pending={register.isPending || register.isSuccess} error={register.error} />
    </AuthLayout>
  );
}
