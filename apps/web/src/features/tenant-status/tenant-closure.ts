/**
 * A tenant closed to its members: suspended by the platform, or archived by its owner (CONTRACT.md "Which tenant": a
 * suspended or archived tenant is FORBIDDEN to everyone but platform admins). The refusal's message names the state
 * ("This tenant is suspended", or "This tenant is suspended: <the reason the platform gave>"); nothing else marks it.
 */
import { errorCode } from "../../lib/errors";
import type { RouterOutputs } from "../../lib/trpc";

export type ClosedStatus = Exclude<RouterOutputs["tenant"]["current"]["status"], "active">;

export interface TenantClosure {
  status: ClosedStatus;
  /** What the platform said about a suspension, when the refusal carries it. */
  reason: string | null;
}

const closedMessage = /^This tenant is (suspended|archived)(?::\s*([\s\S]*))?$/;

/** The closure an API error stands for, or null for any other error. */
export function tenantClosure(error: unknown): TenantClosure | null {
  if (errorCode(error) !== "FORBIDDEN") return null;
  const message = (error as { message?: unknown }).message;
  if (typeof message !== "string") return null;
  const match = closedMessage.exec(message);
  if (!match) return null;
  return { status: match[1] as ClosedStatus, reason: match[2]?.trim() || null };
}
