/**
 * Resending a call the API refused with TOO_MANY_REQUESTS (HTTP 429). The API sends `Retry-After` with every such
 * refusal — also for one call of a batch answered 207 — and a refused call did not run, so a mutation is as safe
 * to resend as a query. The link waits what the header says (or backs off 1 s, 2 s, 4 s… with jitter when there is
 * none), at most `maxWaitSeconds`: a longer wait, or a refusal past `maxRetries`, reaches the caller as the error.
 */
import { type TRPCLink, TRPCClientError } from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";
import { observable, type Unsubscribable } from "@trpc/server/observable";

export interface RetryOptions {
  /** Times a refused call is sent again (default 3; 0 turns retrying off). */
  maxRetries?: number;
  /** The longest wait honoured, in seconds (default 60: the API's budget window is a minute). */
  maxWaitSeconds?: number;
}

/** Seconds to wait from a `Retry-After` value (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

interface HeadersLike {
  get(name: string): string | null;
}

/** The refusal's `Retry-After` in seconds; undefined when the error is not a refusal for load (429). */
function refusalWait(error: unknown): number | null | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const response = (error.meta as { response?: { status?: number; headers?: HeadersLike } } | undefined)?.response;
  const refused = (error.data as { code?: string } | undefined)?.code === "TOO_MANY_REQUESTS" || response?.status === 429;
  if (!refused) return undefined;
  return typeof response?.headers?.get === "function" ? parseRetryAfter(response.headers.get("retry-after")) : null;
}

/** A tRPC link that resends calls refused with TOO_MANY_REQUESTS after the wait the API asked for. */
export function retryOnTooManyRequests<TRouter extends AnyTRPCRouter>(options: RetryOptions = {}): TRPCLink<TRouter> {
  const maxRetries = options.maxRetries ?? 3;
  const maxWaitSeconds = options.maxWaitSeconds ?? 60;
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let inFlight: Unsubscribable | null = null;
        let timer: ReturnType<typeof setTimeout> | undefined;
        let stopped = false;
        const send = (retries: number) => {
          inFlight = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              const asked = refusalWait(error);
              const wait = asked === undefined ? null : (asked ?? backoffSeconds(retries));
              if (stopped || retries >= maxRetries || wait === null || wait > maxWaitSeconds) {
                observer.error(error);
                return;
              }
              timer = setTimeout(() => send(retries + 1), wait * 1000);
            },
          });
        };
        send(0);
        return () => {
          stopped = true;
          clearTimeout(timer);
          inFlight?.unsubscribe();
        };
      });
}

/** 1 s, 2 s, 4 s… between half and all of it, so many clients refused together do not return together. */
function backoffSeconds(retries: number): number {
  return 2 ** retries * (0.5 + Math.random() / 2);
}
