/**
 * The typed client: plain JSON over HTTP with batching for queries and mutations (resent after the wait the API asks
 * for when it answers 429), Server-Sent Events for subscriptions. Works in Node 20+ and in browsers.
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import { type RetryOptions, retryOnTooManyRequests } from "./retry.js";
import type { AppRouter } from "./router.js";

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
  /** Resending calls refused with TOO_MANY_REQUESTS after `Retry-After` (on by default); `false` turns it off. */
  retry?: RetryOptions | false;
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
  const batch = httpBatchLink<AppRouter>({ url, maxItems: MAX_BATCH, headers: () => headers, fetch: fetchImpl });
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
        false: options.retry === false ? batch : [retryOnTooManyRequests<AppRouter>(options.retry), batch],
      }),
    ],
  });
}

export type SwitchboardClient = ReturnType<typeof createClient>;
