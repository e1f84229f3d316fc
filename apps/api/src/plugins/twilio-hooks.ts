/**
 * POST /hooks/twilio/<slug>/voice and /hooks/twilio/<slug>/messages: Twilio's callbacks for a tenant (contract v2,
 * integrations; the steps are in @switchboard/trpc routers/integrations/twilio-callbacks.ts). Outside the session
 * and CSRF rules — Twilio has neither — and the only routes that take a form-encoded body; the signature under the
 * tenant's auth token is the authority. Answers: 200 with empty TwiML (`<Response/>`), 403 for a missing or wrong
 * X-Twilio-Signature (nothing written), 404 for a slug without an active tenant that connected Twilio (one answer
 * for all of them), 400 for a form Twilio would not send, 413 past the body cap, 415 for any other body, 429 over the
 * tenant's request budget (with Retry-After).
 *
 * The URL Twilio signed is rebuilt from this request: scheme and host as Fastify reports them (X-Forwarded-Proto and
 * X-Forwarded-Host count only from a proxy in TRUST_PROXY), then the raw path and query string as received. Behind
 * an ingress that terminates TLS, TRUST_PROXY must name it, or every signature fails (https was signed, http seen).
 *
 * Encapsulated (not fastify-plugin): the form parser and the plain-text errors apply to these routes only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type FormParams, receiveTwilioCallback, type TwilioCallbackKind } from "@switchboard/trpc";
import { noteRetryAfter } from "./retry-after";

/** Twilio's largest callbacks (an MMS with ten media, a 1,600-character body) are a few kilobytes. */
export const twilioBodyLimit = 64 * 1024;

const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const slugPattern = /^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/;

const refusedStatus: Record<string, number> = { CONFLICT: 409, PRECONDITION_FAILED: 412, FORBIDDEN: 403, NOT_FOUND: 404 };

function text(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).header("cache-control", "no-store").type("text/plain; charset=utf-8").send(message);
}

export default async function twilioHooks(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: twilioBodyLimit }, (_request, body, done) => {
    done(null, [...new URLSearchParams(body as string)] satisfies FormParams);
  });

  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return text(reply, 413, "Request body is too large");
    if (status === 415) return text(reply, 415, "Send the form as application/x-www-form-urlencoded");
    if (status >= 400 && status < 500) return text(reply, 400, "Bad request");
    request.log.error({ err: error }, "twilio callback failed");
    return text(reply, 500, "Internal server error");
  });

  const handle = (kind: TwilioCallbackKind) => async (request: FastifyRequest<{ Params: { slug: string } }>, reply: FastifyReply) => {
    const slug = request.params.slug;
    if (!slugPattern.test(slug)) return text(reply, 404, "Not found");
    const signature = request.headers["x-twilio-signature"];
    const outcome = await receiveTwilioCallback({
      db: app.db,
      secrets: app.auth.secrets,
      slug,
      kind,
      url: `${request.protocol}://${request.host}${request.url}`,
      signature: typeof signature === "string" ? signature : undefined,
      params: Array.isArray(request.body) ? (request.body as FormParams) : [],
    });
    switch (outcome.kind) {
      case "done":
        return reply.code(200).header("cache-control", "no-store").type("text/xml; charset=utf-8").send(twiml);
      case "not-found":
        return text(reply, 404, "Not found");
      case "forbidden":
        return text(reply, 403, "Invalid signature");
      case "invalid":
        return text(reply, 400, outcome.message);
      case "refused":
        return text(reply, refusedStatus[outcome.code] ?? 400, outcome.message);
      case "too-many":
        noteRetryAfter(request, outcome.retryAfterSeconds);
        return text(reply, 429, "This tenant's request budget for this minute is spent");
    }
  };

  app.post<{ Params: { slug: string } }>("/hooks/twilio/:slug/voice", handle("voice"));
  app.post<{ Params: { slug: string } }>("/hooks/twilio/:slug/messages", handle("messages"));
}
