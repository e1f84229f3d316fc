/**
 * The tenant's own AI provider key (integrations.ai): sealed like Twilio's token (integrations.service.ts), never
 * returned. The ai.reply job opens it: it goes to the agent's own baseUrl, or to the deployment's AI_BASE_URL in
 * place of AI_API_KEY.
 */
import { and, eq, sql } from "drizzle-orm";
import type { SecretBox } from "@switchboard/auth";
import { integrations, type Tenant, type Tx } from "@switchboard/db";
import type { SetAiKeyInput } from "./ai.input";
import { sealContext } from "./integrations.service";

export async function getAiKey(tx: Tx, tenant: Pick<Tenant, "id">) {
  const [row] = await tx
    .select({ updatedAt: integrations.updatedAt })
    .from(integrations)
    .where(and(eq(integrations.tenantId, tenant.id), eq(integrations.provider, "ai")));
  return { configured: row !== undefined, updatedAt: row?.updatedAt.toISOString() ?? null };
}

/** Sets or replaces the key. */
export async function setAiKey(tx: Tx, secrets: Pick<SecretBox, "seal">, tenant: Pick<Tenant, "id">, input: SetAiKeyInput) {
  const secretCiphertext = secrets.seal(input.apiKey, sealContext("ai", tenant.id));
  await tx
    .insert(integrations)
    .values({ tenantId: tenant.id, provider: "ai", config: {}, secretCiphertext })
    .onConflictDoUpdate({ target: [integrations.tenantId, integrations.provider], set: { secretCiphertext, updatedAt: sql`now()` } });
  return getAiKey(tx, tenant);
}

/** Forgets the key: the deployment's AI_API_KEY answers again (never for an agent's own baseUrl). */
export async function deleteAiKey(tx: Tx, tenant: Pick<Tenant, "id">) {
  await tx.delete(integrations).where(and(eq(integrations.tenantId, tenant.id), eq(integrations.provider, "ai")));
  return getAiKey(tx, tenant);
}
