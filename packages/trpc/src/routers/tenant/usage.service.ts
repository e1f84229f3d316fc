import { and, eq, sql } from "drizzle-orm";
import { agents, requestBudgets, type Tenant, tierDefaults, type Tx } from "@switchboard/db";
import { effectiveFeatures, openInvitationCount } from "./tenant.service";

export interface TenantUsage {
  /** Members and pending invitations (they hold a seat) against the plan's seats. */
  seats: { members: number; invitations: number; limit: number };
  /** AI agents against the effective maxAgents. */
  agents: { used: number; limit: number };
  /**
   * The request budget's current one-minute window: requests drawn so far (replicas lease the budget in chunks, so
   * this runs up to a chunk ahead of the requests served) against the budget per minute.
   */
  requests: { thisMinute: number; perMinute: number };
}

/** tenant.usage: the tenant's limits against what it uses (the usage page). */
export async function tenantUsage(tx: Tx, tenant: Tenant): Promise<TenantUsage> {
  const [features, invitations, [agentCount], [window]] = await Promise.all([
    effectiveFeatures(tx, tenant),
    openInvitationCount(tx, tenant.id),
    tx.select({ n: sql<number>`count(*)::int` }).from(agents).where(eq(agents.tenantId, tenant.id)),
    tx
      .select({ n: requestBudgets.count })
      .from(requestBudgets)
      .where(and(eq(requestBudgets.tenantId, tenant.id), eq(requestBudgets.windowStart, sql`date_trunc('minute', now())`))),
  ]);
  return {
    seats: { members: tenant.memberCount, invitations, limit: tenant.maxUsers },
    agents: { used: agentCount!.n, limit: features.maxAgents },
    requests: {
      thisMinute: window?.n ?? 0,
      perMinute: tenant.requestsPerMinute ?? tierDefaults[tenant.tier].requestsPerMinute,
    },
  };
}
