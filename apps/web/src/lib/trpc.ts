/**
 * The dashboard's one connection to the API: tRPC over HTTP with batching, TanStack Query for caching.
 * Subscriptions (live engagement events) go over Server-Sent Events through `httpSubscriptionLink`; the browser's
 * EventSource sends the host-only session cookie on this same origin and reconnects with Last-Event-ID by itself.
 * Only the *type* of the router is imported; no server code reaches the bundle.
 *
 * `useTRPC()` serves components; `trpc` (the same option factories, bound to the singleton clients) serves code
 * outside React such as route guards.
 */
import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext, createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@switchboard/trpc";
import { isClientError } from "./errors";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx answer does not change on retry; network and 5xx errors get two more tries.
        retry: (failures, error) => !isClientError(error) && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export const queryClient = makeQueryClient();

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url: "/trpc" }),
      false: httpBatchLink({
        url: "/trpc",
        maxItems: 10, // the API's maxBatchSize
        fetch: (url, init) => fetch(url, { ...init, credentials: "same-origin" }),
      }),
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

/** Every procedure's input and output, inferred from the API (never restated here). */
export type { RouterInputs, RouterOutputs } from "@switchboard/trpc";
