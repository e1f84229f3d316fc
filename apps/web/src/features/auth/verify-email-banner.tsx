import { useMutation } from "@tanstack/react-query";
import { Button } from "../../components/ui/button";
import { errorMessage } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";

/** Shown across the signed-in dashboard until the address is verified: invitations and recovery depend on it. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const trpc = useTRPC();
  const resend = useMutation(trpc.auth.resendVerification.mutationOptions());
  return (
    <div
      role="region"
      aria-label="Verify your email"
      className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-amber-200 bg-amber-50 px-4 py-2.5 text-sm text-amber-900"
    >
      <p className="min-w-0 flex-1">
        Verify your address: we sent a link to <span className="font-medium">{email}</span>. Until then you cannot see invitations sent to it.
      </p>
      {resend.isSuccess ? (
        <span role="status" className="font-medium">
          Sent. Check your inbox.
        </span>
      ) : (
        <Button variant="secondary" pending={resend.isPending} onClick={() => resend.mutate()}>
          Resend the link
        </Button>
      )}
      {resend.isError && (
        <span role="alert" className="w-full text-red-700">
          {errorMessage(resend.error)}
        </span>
      )}
    </div>
  );
}
