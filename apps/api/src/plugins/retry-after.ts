/**
 * Every TOO_MANY_REQUESTS answer carries `Retry-After` (seconds; contract, "Limits and input"). Whoever refuses notes
 * when to come back on the request (`request.retryAfterSeconds`, the largest note wins: a batch waits for its
 * slowest refusal); the tRPC plugin notes what a refusal's DomainError carries. The header is set as the response
 * is sent: on a 429, and also on a refusal that travels inside a 200 (an SSE stream's error event, one call of a
 * batch answered 207). A 429 that nobody dated waits `defaultRetryAfterSeconds`.
 */
import fp from "fastify-plugin";
import type { FastifyRequest } from "fastify";
import { retryAfterOf } from "@switchboard/trpc";

export const defaultRetryAfterSeconds = 60;

declare module "fastify" {
  interface FastifyRequest {
    retryAfterSeconds: number | null;
  }
}

/** Records that `request` was refused until `seconds` from now (null: unknown, the default applies). */
export function noteRetryAfter(request: FastifyRequest, seconds: number | null) {
  const s = Math.max(1, Math.ceil(seconds ?? defaultRetryAfterSeconds));
  request.retryAfterSeconds = Math.max(request.retryAfterSeconds ?? 0, s);
}

/** Notes a TOO_MANY_REQUESTS error: the seconds its DomainError carries, else the default. */
export function noteTooManyRequests(request: FastifyRequest, error: unknown) {
  noteRetryAfter(request, retryAfterOf(error));
}

export default fp(async function retryAfter(app) {
  app.decorateRequest("retryAfterSeconds", null);
  app.addHook("onSend", async (request, reply, payload) => {
    // tRPC hands Fastify a fetch Response: its status is applied after this hook.
    const status = payload instanceof Response ? payload.status : reply.statusCode;
    if (status === 429 && request.retryAfterSeconds === null) noteRetryAfter(request, null);
    if (request.retryAfterSeconds !== null) reply.header("retry-after", String(request.retryAfterSeconds));
    return payload;
  });
});
