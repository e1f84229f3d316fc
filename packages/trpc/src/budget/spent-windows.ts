/**
 * Tenants whose budget this process saw spent, until their window (the minute) ends: further requests are refused
 * before the procedure runs, without a database write (budget/draw-budget).
 */
import { TRPCError } from "@trpc/server";
import { tooManyRequests } from "../errors";
import { TtlCache } from "../lib/ttl-cache";

const minuteMs = 60_000;
const endOfMinute = () => (Math.floor(Date.now() / minuteMs) + 1) * minuteMs;

const spentBudgets = new TtlCache<true>({ ttlMs: minuteMs, cap: 10_000 });

export function budgetSpent(db: object, tenantId: string): boolean {
  return spentBudgets.get(db, tenantId) !== undefined;
}

export function markBudgetSpent(db: object, tenantId: string): void {
  spentBudgets.set(db, tenantId, true, endOfMinute());
}

/** The budget refills when the minute ends: the refusal carries the seconds until then (`Retry-After`). */
export function budgetSpentError(): TRPCError {
  const message = "This tenant's request budget for this minute is spent";
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message,
    cause: tooManyRequests(message, (endOfMinute() - Date.now()) / 1000),
  });
}
