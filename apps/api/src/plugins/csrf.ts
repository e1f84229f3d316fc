/**
 * Cross-site request forgery. Tenant subdomains are the same *site*, so SameSite cookies do not stop a page on
 * one tenant from posting to another: every browser-style POST must come from this exact origin and be JSON.
 * Requests authenticated by an API key (`Authorization: Bearer sk_…`, never sent by browsers on their own, and
 * whose cookies the API then ignores: see plugins/trpc.ts) are exempt; any other Authorization header is not.
 */
import fp from "fastify-plugin";
import { sendTrpcError } from "../errors";
import { bearerApiKey } from "./trpc";

export default fp(async function csrf(app) {
  app.addHook("onRequest", async (request, reply) => {
    if (request.method !== "POST" || !request.url.startsWith("/trpc/")) return;
    if (bearerApiKey(request.headers.authorization)) return;
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (contentType !== "application/json") {
      return sendTrpcError(reply, "FORBIDDEN", "Mutations must be sent as application/json");
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (origin !== `${request.protocol}://${request.host}`) {
        return sendTrpcError(reply, "FORBIDDEN", "Cross-origin request refused");
      }
      return;
    }
    const site = request.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      return sendTrpcError(reply, "FORBIDDEN", "Cross-origin request refused");
    }
  });
});
