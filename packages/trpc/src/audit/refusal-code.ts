/** Refusals that leave a `denied` entry in the audit trail: FORBIDDEN, PRECONDITION_FAILED, NOT_FOUND. */
import { TRPCError } from "@trpc/server";
import { DomainError } from "../errors";

const auditedRefusals = new Set(["FORBIDDEN", "PRECONDITION_FAILED", "NOT_FOUND"]);

/** The error's code when it is such a refusal (a service's DomainError counts by its kind), else null. */
export function refusalCode(err: unknown): string | null {
  const code =
    err instanceof TRPCError ? (err.cause instanceof DomainError ? err.cause.kind : err.code) : null;
  return code && auditedRefusals.has(code) ? code : null;
}
