import { and, eq, inArray, sql } from "drizzle-orm";
import { availability, type Availability, memberships, type Tenant, type Tx, users } from "@switchboard/db";
import { afterCursor, oldestFirst, orderOf, toPage } from "../../lib/cursor";
import { preconditionFailed } from "../../errors";
import { openEngagementsOf, routedRoles } from "./routing";

interface AvailabilityRow {
  userId: string;
  name: string;
  status: Availability["status"];
  openEngagements: number;
  joinedAt: Date;
}
const availabilityView = ({ joinedAt: _joinedAt, ...item }: AvailabilityRow) => item;

// The memberships policy also shows the caller's own memberships elsewhere: always filter by tenant.
// memberships.created_at keeps microseconds; the cursor carries milliseconds (JavaScript dates): order by those.
const joinedAt = sql<Date>`date_trunc('milliseconds', ${memberships.createdAt})`.mapWith(memberships.createdAt);
const order = oldestFirst(joinedAt, memberships.userId, (r: AvailabilityRow) => [r.joinedAt, r.userId]);

function availabilityRows(tx: Tx) {
  return tx
    .select({
      userId: memberships.userId,
      name: users.name,
      // No row yet: never switched on, so offline.
      status: sql<Availability["status"]>`coalesce(${availability.status}, 'offline')`,
      openEngagements: openEngagementsOf(memberships.tenantId, memberships.userId),
      joinedAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(availability, and(eq(availability.tenantId, memberships.tenantId), eq(availability.userId, memberships.userId)))
    .$dynamic();
}

/** The members who take conversations (agent or above), with their availability and open load; oldest members first. */
export async function listAvailability(tx: Tx, tenantId: string, input: { limit: number; cursor?: string | undefined }) {
  const rows = await availabilityRows(tx)
    .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.role, [...routedRoles]), afterCursor(input.cursor, order)))
    .orderBy(...orderOf(order))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, order, availabilityView);
}

/**
 * Sets the caller's own availability in this tenant. Only the tenant's own members take its conversations, so an
 * organisation's member acting in a department is told so rather than switched "online" to no effect.
 */
export async function setAvailability(tx: Tx, tenant: Pick<Tenant, "id">, userId: string, input: { status: Availability["status"] }) {
  const [member] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, userId)));
  if (!member) throw preconditionFailed("Only this tenant's own members take its conversations: ask an admin to add you here");
  await tx
    .insert(availability)
    .values({ tenantId: tenant.id, userId, status: input.status })
    .onConflictDoUpdate({
      target: [availability.tenantId, availability.userId],
      set: { status: input.status, updatedAt: sql`now()` },
    });
  const [row] = await availabilityRows(tx).where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, userId)));
  return availabilityView(row!);
}
