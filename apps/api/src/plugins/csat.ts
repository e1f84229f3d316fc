/**
 * GET/POST /csat/<token> on a tenant's host: the customer's satisfaction survey (contract v2, conversations). No
 * sign-in: the token is the authority (routers/csat/csat.service.ts checks it against the host's tenant). The pages
 * are plain HTML forms (csat-page.ts) that work without JavaScript. Every outcome is a page with its status:
 * 200 form / thanks, 400 a bad answer, 404 an unknown link or host, 409 already answered, 413/415 a body the form
 * never sends, 403 a post from another site, 429 over the per-address limit (AUTH_RATE_LIMIT_PER_MINUTE).
 *
 * Encapsulated (not fastify-plugin): the form body parser and the HTML error pages apply to these routes only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { answerSurvey, openSurvey, type SurveyBrand, type SurveyOutcome } from "@switchboard/trpc";
import { formBody, messages, page } from "../csat-page";

export interface CsatOptions {
  /** Requests per minute and client address to the survey pages; 0: off. */
  limitPerMinute: number;
}

/** A comment of 2,000 characters, percent-encoded at worst (12 bytes for a 2-unit character), and the rating. */
const bodyLimit = 32 * 1024;

type Form = Record<string, string | string[]>;

function parseForm(body: string): Form {
  const form: Form = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const seen = form[key];
    form[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return form;
}

function send(reply: FastifyReply, status: number, brand: SurveyBrand | null, title: string, body: string) {
  const { html, csp } = page(brand, title, body);
  return reply
    .code(status)
    .header("content-security-policy", csp)
    .header("cache-control", "no-store")
    .header("referrer-policy", "same-origin")
    .type("text/html; charset=utf-8")
    .send(html);
}

function render(reply: FastifyReply, outcome: SurveyOutcome, method: "GET" | "POST", form: Form = {}) {
  switch (outcome.kind) {
    case "form":
      return send(reply, 200, outcome.brand, "How did we do?", formBody(outcome.brand, { subject: outcome.subject }));
    case "invalid": {
      const str = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
      const answer = { subject: outcome.subject, rating: str(form.rating), comment: str(form.comment), problems: outcome.problems };
      return send(reply, 400, outcome.brand, "How did we do?", formBody(outcome.brand, answer));
    }
    case "thanks":
      return send(reply, 200, outcome.brand, "Thank you", messages.thanks(outcome.brand, outcome.rating));
    case "answered":
      return send(reply, method === "POST" ? 409 : 200, outcome.brand, "Already rated", messages.answered(outcome.brand));
    case "not-found":
      return send(reply, 404, outcome.brand, "Link not found", messages.notFound());
    case "too-many":
      reply.header("retry-after", String(outcome.retryAfterSeconds));
      return send(reply, 429, null, "Too many requests", messages.tooMany());
  }
}

/** A post from another origin (another tenant's subdomain is the same *site*, so SameSite would not tell). */
function fromAnotherSite(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin !== `${request.protocol}://${request.host}`;
  const site = request.headers["sec-fetch-site"];
  return site !== undefined && site !== "same-origin" && site !== "none";
}

export default async function csat(app: FastifyInstance, { limitPerMinute }: CsatOptions) {
  const surveyRequest = (request: FastifyRequest<{ Params: { token: string } }>) => ({
    db: app.db,
    secrets: app.auth.secrets,
    slug: request.tenantSlug,
    token: request.params.token,
    ip: request.ip,
    limitPerMinute,
  });

  // Only what an HTML form sends: JSON and the rest are 415 here (the root's parsers stay for /trpc).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit }, (_request, body, done) => {
    done(null, parseForm(body as string));
  });

  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return send(reply, 413, null, "Too long", messages.tooLarge());
    if (status === 415) return send(reply, 415, null, "Not a form", messages.unsupported());
    if (status >= 400 && status < 500) return send(reply, 400, null, "Not a form", messages.unsupported());
    request.log.error({ err: error }, "csat page failed");
    return send(reply, 500, null, "Something went wrong", messages.failed());
  });

  app.get<{ Params: { token: string } }>("/csat/:token", async (request, reply) =>
    render(reply, await openSurvey(surveyRequest(request)), "GET"),
  );

  app.post<{ Params: { token: string }; Body: Form | undefined }>("/csat/:token", async (request, reply) => {
    if (fromAnotherSite(request)) return send(reply, 403, null, "Another site", messages.crossSite());
    const form = request.body && typeof request.body === "object" ? request.body : {};
    return render(reply, await answerSurvey(surveyRequest(request), form), "POST", form);
  });
}
