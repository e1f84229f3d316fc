import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc";

/**
 * Moves to another tenant's subdomain. `tenants.switch` answers with a one-time hand-off URL on that host which
 * signs the user in there (session cookies are per host) and redirects to its dashboard.
 */
export function useSwitchTenant() {
  const trpc = useTRPC();
  return useMutation(
    trpc.tenants.switch.mutationOptions({
      onSuccess: ({ url }) => {
        // Only ever leave for an http(s) URL, whatever the server said.
        if (/^https?:\/\//i.test(url)) window.location.href = url;
      },
    }),
  );
}
