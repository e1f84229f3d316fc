/**
 * Twilio's callbacks (contract v2, integrations): `POST /hooks/twilio/<slug>/voice` and `…/messages` (apps/api
 * plugins/twilio-hooks.ts is the HTTP side). No session and no key: the signature under the tenant's auth token is
 * the authority, so these run outside the session and CSRF rules, with these steps instead, in one transaction:
 *
 * 1. The tenant by the path's slug, active (and its organisation, for a department), with Twilio connected; anything
 *    else is `not-found`, the same answer for a slug that does not exist (no oracle of tenants or integrations).
 * 2. X-Twilio-Signature (twilio-signature.ts) over the URL Twilio requested and the form, and the form's AccountSid
 *    equal to the connected account: else `forbidden`, before anything is written.
 * 3. The change (twilio-callbacks.service.ts).
 * 4. The tenant's request budget (budget/), drawn like a procedure's: a tenant this process saw spent is refused
 *    first; otherwise the draw comes after the change, and over budget rolls the change back (`too-many`). Only
 *    signed requests draw: a stranger cannot spend a tenant's budget by posting junk at its callback URL.
 *
 * No audit entry, as for the CSAT survey: the audit trail records members and keys, and Twilio is neither; the calls
 * and messages themselves (with their events and webhooks) are the record.
 */
import { eq } from "drizzle-orm";
import type { SecretBox } from "@switchboard/auth";
import { type DbHandle, setScope, type Tenant, tenants, tenantScope, type Tx, withScope } from "@switchboard/db";
import { claimRequestBudget } from "../../budget/claim";
import { addLease, type Lease, takeLeased } from "../../budget/leases";
import { budgetSpent, markBudgetSpent } from "../../budget/spent-windows";
import { DomainError } from "../../errors";
import { findUnsafeText } from "../../lib/unsafe-text";
import { twilioCredentials } from "./integrations.service";
import { ingestTwilioMessage, recordCallStatus } from "./twilio-callbacks.service";
import { type FormParams, verifyTwilioSignature } from "./twilio-signature";

export type TwilioCallbackKind = "voice" | "messages";

export interface TwilioCallback {
  db: DbHandle;
  secrets: Pick<SecretBox, "open">;
  slug: string;
  kind: TwilioCallbackKind;
  /** The URL Twilio requested, as this request's scheme, host and raw path + query say (behind a trusted proxy). */
  url: string;
  signature: string | undefined;
  params: FormParams;
}

export type TwilioCallbackOutcome =
  | { kind: "done" }
  | { kind: "not-found" }
  | { kind: "forbidden" }
  | { kind: "invalid"; message: string }
  | { kind: "refused"; code: DomainError["kind"]; message: string }
  | { kind: "too-many"; retryAfterSeconds: number };

/** A base64 HMAC-SHA1: anything else is refused before the database is asked. */
const signaturePattern = /^[A-Za-z0-9+/]{27}=$/;

const secondsToNextMinute = () => Math.max(1, Math.ceil((60_000 - (Date.now() % 60_000)) / 1000));

class Refusal extends Error {
  constructor(readonly outcome: TwilioCallbackOutcome) {
    super(outcome.kind);
  }
}

async function activeTenant(tx: Tx, slug: string): Promise<Tenant | null> {
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.slug, slug));
  if (!tenant || tenant.status !== "active") return null;
  await setScope(tx, tenantScope(tenant));
  if (!tenant.parentId) return tenant;
  const [parent] = await tx.select({ status: tenants.status }).from(tenants).where(eq(tenants.id, tenant.parentId));
  return parent?.status === "active" ? tenant : null;
}

export async function receiveTwilioCallback(req: TwilioCallback): Promise<TwilioCallbackOutcome> {
  if (!req.signature || !signaturePattern.test(req.signature)) return { kind: "forbidden" };
  const unsafe = findUnsafeText(req.params.flat());
  if (unsafe) return { kind: "invalid", message: `Form fields must not ${unsafe.message}` };
  let claimed: Lease | null;
  let tenantId: string;
  try {
    ({ claimed, tenantId } = await withScope(req.db, { tenantSlug: req.slug }, async (tx) => {
      const tenant = await activeTenant(tx, req.slug);
      const credentials = tenant && (await twilioCredentials(tx, req.secrets, tenant.id));
      if (!tenant || !credentials) throw new Refusal({ kind: "not-found" });
      const accountSid = req.params.find(([k]) => k === "AccountSid")?.[1];
      if (!verifyTwilioSignature(credentials.authToken, req.signature!, req.url, req.params) || accountSid !== credentials.accountSid) {
        throw new Refusal({ kind: "forbidden" });
      }
      if (budgetSpent(req.db, tenant.id)) throw new Refusal({ kind: "too-many", retryAfterSeconds: secondsToNextMinute() });
      if (req.kind === "voice") await recordCallStatus(tx, tenant, req.params);
      else await ingestTwilioMessage(tx, tenant, req.params);
      if (takeLeased(req.db, tenant.id)) return { claimed: null, tenantId: tenant.id };
      const lease = await claimRequestBudget(tx, tenant);
      if (!lease) {
        markBudgetSpent(req.db, tenant.id);
        throw new Refusal({ kind: "too-many", retryAfterSeconds: secondsToNextMinute() });
      }
      return { claimed: lease, tenantId: tenant.id };
    }));
  } catch (err) {
    if (err instanceof Refusal) return err.outcome;
    if (err instanceof DomainError) {
      return err.kind === "BAD_REQUEST" ? { kind: "invalid", message: err.message } : { kind: "refused", code: err.kind, message: err.message };
    }
    throw err;
  }
  // Taken into use only once the transaction has committed (as budget/settle-budget does for procedures).
  if (claimed) addLease(req.db, tenantId, claimed);
  return { kind: "done" };
}
