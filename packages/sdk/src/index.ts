/**
 * The typed Switchboard client for outside developers. Types come from the server's `AppRouter` (type-only
 * import: nothing of the server is bundled). Works in Node 20+ (no browser needed) and in browsers.
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import type { AppRouter } from "@switchboard/trpc";

/** The router's type, and every procedure's input and output inferred from it (e.g. `RouterOutputs["calls"]["list"]`). */
export type { AppRouter, RouterInputs, RouterOutputs } from "@switchboard/trpc";

export interface ClientOptions {
  /** Where the API runs, e.g. `https://app.example.com` (the SDK adds `/trpc`). */
  baseUrl: string;
  /** The tenant's slug, sent as `x-tenant`. Optional with an API key: a key always acts in its own tenant. */
  tenant?: string;
  /** An `sk_…` key, sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
}

/** The server accepts at most this many calls per HTTP batch; larger batches are split. */
const MAX_BATCH = 10;

export function createClient(options: ClientOptions) {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/trpc`;
  const headers: Record<string, string> = {
    ...options.headers,
    ...(options.tenant ? { "x-tenant": options.tenant } : {}),
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // Server-Sent Events. Node 20 has no global EventSource; the `eventsource` package's can send headers.
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) => fetchImpl(input, { ...init, headers: { ...init?.headers, ...headers } }),
          }),
        }),
        false: httpBatchLink({ url, maxItems: MAX_BATCH, headers: () => headers, fetch: fetchImpl }),
      }),
    ],
  });
}

export type SwitchboardClient = ReturnType<typeof createClient>;
export { TRPCClientError } from "@trpc/client";
