/**
 * Domain errors: what services throw instead of tRPC errors (services know nothing of tRPC). One middleware in
 * trpc.ts maps them to tRPC codes. Add a kind here when a service needs a new outcome.
 */
export type DomainErrorKind =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_MANY_REQUESTS";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** For TOO_MANY_REQUESTS: when to try again; the HTTP layer sends it as `Retry-After`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "You do not have permission to do this") => new DomainError("FORBIDDEN", message);
export const conflict = (message: string) => new DomainError("CONFLICT", message);
export const badRequest = (message: string) => new DomainError("BAD_REQUEST", message);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new DomainError("TOO_MANY_REQUESTS", message, Math.max(1, Math.ceil(retryAfterSeconds)));
export const preconditionFailed = (message: string) => new DomainError("PRECONDITION_FAILED", message);

/** The seconds after which to try again that an error (or one of its causes) carries; null when none says. */
export function retryAfterOf(err: unknown): number | null {
  let e = err as { cause?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++, e = e.cause as typeof e) {
    if (e instanceof DomainError && e.retryAfterSeconds !== undefined) return e.retryAfterSeconds;
  }
  return null;
}

/** PostgreSQL unique_violation under Drizzle's wrapper. */
export function isUniqueViolation(err: unknown): boolean {
  let e = err as { cause?: unknown; code?: string } | undefined;
  for (let i = 0; e && i < 5; i++, e = e.cause as typeof e) if (e.code === "23505") return true;
  return false;
}

/** PostgreSQL foreign_key_violation (e.g. a composite key naming another tenant's row). */
export function isForeignKeyViolation(err: unknown): boolean {
  let e = err as { cause?: unknown; code?: string } | undefined;
  for (let i = 0; e && i < 5; i++, e = e.cause as typeof e) if (e.code === "23503") return true;
  return false;
}
