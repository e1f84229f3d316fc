/**
 * Typed client for Switchboard's API, for Node 20+ and browsers. Types come from the server's `AppRouter`
 * (type-only import: no server code is bundled).
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import type { AppRouter } from "@switchboard/trpc";

export interface ClientOptions {
  /** e.g. https://app.example.com (the bare domain; the tenant travels in a header). */
  baseUrl: string;
  /** Tenant slug, e.g. "acme". */
  tenant?: string;
  /** An API key (`sk_…`) of that tenant. */
  apiKey?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

export function createClient({ baseUrl, tenant, apiKey, headers = {} }: ClientOptions) {
  const url = `${baseUrl.replace(/\/$/, "")}/trpc`;
  const all: Record<string, string> = {
    ...headers,
    ...(tenant ? { "x-tenant": tenant } : {}),
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...all } }),
          }),
        }),
        false: httpBatchLink({ url, maxItems: 10, headers: () => all }),
      }),
    ],
  });
}

export type SwitchboardClient = ReturnType<typeof createClient>;
export type { AppRouter };
