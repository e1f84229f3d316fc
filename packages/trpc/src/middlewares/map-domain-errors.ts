/**
 * Maps a DomainError thrown by a service to its tRPC code. The DomainError stays the cause, so the HTTP layer can
 * read what it carries (`retryAfterSeconds` → `Retry-After`).
 */
import { TRPCError } from "@trpc/server";
import { DomainError } from "../errors";
import { middleware } from "../trpc";

export const mapDomainErrors = middleware(async function mapDomainErrors({ next }) {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    throw new TRPCError({
      code: result.error.cause.kind,
      message: result.error.cause.message,
      cause: result.error.cause,
    });
  }
  return result;
});
