import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { hashToken, randomToken } from "@switchboard/auth";
import { type ApiKey, apiKeys, type Tx } from "@switchboard/db";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { notFound } from "../../errors";
import { API_KEY_DEFAULT_DAYS } from "./api-keys.input";

/** `sk_` + 256 random bits. The prefix makes leaked keys easy to spot (secret scanners, logs). */
export const API_KEY_PREFIX = "sk_";

export function apiKeyView(k: ApiKey) {
  return {
    id: k.id,
    name: k.name,
    role: k.role as "admin" | "agent" | "viewer",
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/**
 * The usable key with this hash, read through the "a presented key reads exactly its own row" policy (scope:
 * `apiKeyHash` only). Revoked, expired and ambiguous keys are null.
 */
export async function findPresentedKey(tx: Tx, keyHash: string): Promise<ApiKey | null> {
  const rows = await tx.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).limit(2);
  const key = rows.length === 1 ? rows[0]! : null;
  return key && usableKey(key) ? key : null;
}

/** Neither revoked nor expired. */
export function usableKey(key: ApiKey): boolean {
  return !key.revokedAt && !(key.expiresAt && key.expiresAt.getTime() <= Date.now());
}

/** Records use, at most once a minute per key (a write per request would be a hot row). Inside the key's tenant. */
export async function touchApiKey(tx: Tx, key: ApiKey): Promise<void> {
  if (key.lastUsedAt && Date.now() - key.lastUsedAt.getTime() < 60_000) return;
  await tx
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.tenantId, key.tenantId),
        eq(apiKeys.id, key.id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
}

export async function createApiKey(
  tx: Tx,
  tenantId: string,
  createdBy: string | null,
  input: { name: string; role: "admin" | "agent" | "viewer"; expiresAt?: Date | undefined },
) {
  // Every key expires: a leaked key that nobody revokes stops working on its own (bounds: api-keys.input).
  const expiresAt = input.expiresAt ?? new Date(Date.now() + API_KEY_DEFAULT_DAYS * 86_400_000);
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const [row] = await tx
    .insert(apiKeys)
    .values({ tenantId, name: input.name, role: input.role, prefix: key.slice(0, 11), keyHash: hashToken(key), createdBy, expiresAt })
    .returning();
  // The only time the key itself leaves the server.
  return { ...apiKeyView(row!), key };
}

const listOrder = newestFirst(apiKeys.createdAt, apiKeys.id, (k: ApiKey) => [k.createdAt, k.id]);

export async function listApiKeys(tx: Tx, input: { limit: number; cursor?: string | undefined }) {
  const rows = await tx
    .select()
    .from(apiKeys)
    .where(afterCursor(input.cursor, listOrder))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, apiKeyView);
}

/** Revokes a key of the current tenant (idempotent). */
export async function revokeApiKey(tx: Tx, input: { id: string }) {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(eq(apiKeys.id, input.id))
    .returning();
  if (!row) throw notFound("API key");
  return apiKeyView(row);
}
