/**
 * A tenant's connections to outside services (contract v2, integrations), one row per provider in `integrations`:
 * what may be shown again in `config`, the secret sealed with ENCRYPTION_KEY (auth's secret box) under the context
 * `integration:<provider>:<tenant id>`, so a ciphertext copied into another tenant's row or provider does not open.
 * No procedure ever returns a secret.
 */
import { and, eq, sql } from "drizzle-orm";
import type { SecretBox } from "@switchboard/auth";
import { integrations, type Tenant, type Tx } from "@switchboard/db";
import type { SetTwilioInput } from "./integrations.input";

type Provider = (typeof integrations.$inferSelect)["provider"];

export const sealContext = (provider: Provider, tenantId: string) => `integration:${provider}:${tenantId}`;

/** The two addresses to paste into Twilio's console, on the tenant's own host (`baseUrl`: its origin). */
export function twilioCallbackUrls(baseUrl: string, slug: string) {
  return {
    voiceUrl: `${baseUrl}/hooks/twilio/${slug}/voice`,
    messagesUrl: `${baseUrl}/hooks/twilio/${slug}/messages`,
  };
}

async function integrationRow(tx: Tx, tenantId: string, provider: Provider) {
  const [row] = await tx
    .select()
    .from(integrations)
    .where(and(eq(integrations.tenantId, tenantId), eq(integrations.provider, provider)));
  return row;
}

/** What the dashboard shows: whether Twilio is connected, its account SID, and the callback URLs either way. */
export async function getTwilio(tx: Tx, tenant: Pick<Tenant, "id" | "slug">, baseUrl: string) {
  const row = await integrationRow(tx, tenant.id, "twilio");
  return {
    configured: row !== undefined,
    accountSid: row?.config.accountSid ?? null,
    fromNumber: row?.config.fromNumber ?? null,
    messagingServiceSid: row?.config.messagingServiceSid ?? null,
    whatsappFrom: row?.config.whatsappFrom ?? null,
    ...twilioCallbackUrls(baseUrl, tenant.slug),
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** Connects Twilio, or replaces its credentials (a rotated auth token) and its senders. */
export async function setTwilio(
  tx: Tx,
  secrets: Pick<SecretBox, "seal">,
  tenant: Pick<Tenant, "id" | "slug">,
  input: SetTwilioInput,
  baseUrl: string,
) {
  const values = {
    config: Object.fromEntries(
      Object.entries({
        accountSid: input.accountSid,
        fromNumber: input.fromNumber,
        messagingServiceSid: input.messagingServiceSid,
        whatsappFrom: input.whatsappFrom,
      }).filter((e): e is [string, string] => e[1] !== undefined),
    ),
    secretCiphertext: secrets.seal(input.authToken, sealContext("twilio", tenant.id)),
  };
  await tx
    .insert(integrations)
    .values({ tenantId: tenant.id, provider: "twilio", ...values })
    .onConflictDoUpdate({ target: [integrations.tenantId, integrations.provider], set: { ...values, updatedAt: sql`now()` } });
  return getTwilio(tx, tenant, baseUrl);
}

/** Disconnects Twilio: its callbacks are answered 404 from then on. Deleting what is not there changes nothing. */
export async function deleteTwilio(tx: Tx, tenant: Pick<Tenant, "id" | "slug">, baseUrl: string) {
  await tx.delete(integrations).where(and(eq(integrations.tenantId, tenant.id), eq(integrations.provider, "twilio")));
  return getTwilio(tx, tenant, baseUrl);
}

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}

/**
 * The tenant's Twilio credentials for checking a callback; null when Twilio is not connected, or when its token
 * was sealed under a key no longer configured (the admin enters it again).
 */
export async function twilioCredentials(tx: Tx, secrets: Pick<SecretBox, "open">, tenantId: string): Promise<TwilioCredentials | null> {
  const row = await integrationRow(tx, tenantId, "twilio");
  const accountSid = row?.config.accountSid;
  if (!row || !accountSid) return null;
  try {
    return { accountSid, authToken: secrets.open(row.secretCiphertext, sealContext("twilio", tenantId)) };
  } catch {
    return null;
  }
}
