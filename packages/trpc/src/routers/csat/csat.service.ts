/**
 * The customer's satisfaction survey (contract v2, conversations). Resolving an engagement issues a survey link;
 * the customer answers it once on the tenant's host (apps/api plugins/csat.ts renders the pages).
 *
 * The link's token is `<engagement id>.<MAC>`, the MAC being the secret box's HMAC (ENCRYPTION_KEY-derived, per
 * purpose) of (tenant id, engagement id, resolvedAt). Nothing is stored: engagements.get recomputes the same link,
 * a link of another tenant or engagement does not verify, and reopening and resolving again moves resolvedAt, so
 * every earlier link stops working. Single use: the first answer sets `csatSource = "customer"`; any later answer
 * (on this link or a later one) is refused — a conversation is rated by its customer once.
 *
 * No audit entry: the audit trail records members and keys, and the customer is neither. The answer is recorded
 * on the engagement itself (csat, csatComment, csatSource "customer") with an `updated` event, so every open
 * dashboard shows it live.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SecretBox } from "@switchboard/auth";
import {
  type DbHandle,
  type Engagement,
  engagements,
  setScope,
  type Tenant,
  tenants,
  tenantScope,
  type Tx,
  withScope,
} from "@switchboard/db";
import { hasNoControlChars } from "../../lib/inputs";
import { queueEmail } from "../../lib/mail";
import { hitRateWindow } from "../../lib/rate-windows";
import { recordEvent } from "../engagements/engagement-events";
import { recordEngagementUpdated } from "../engagements/engagements.service";
import { tenantView } from "../tenant/tenant.service";

/** The secret box's signing purpose: a CSAT MAC is worthless anywhere else. */
const purpose = "csat-survey";

/** What building a survey link needs: the signing keys and the tenant's origin (`http://acme.localhost:3000`). */
export interface CsatLinks {
  secrets: Pick<SecretBox, "sign">;
  baseUrl: string;
}

type Resolved = Pick<Engagement, "tenantId" | "id" | "status" | "resolvedAt">;

const signed = (e: { tenantId: string; id: string; resolvedAt: Date }) => `${e.tenantId}:${e.id}:${e.resolvedAt.toISOString()}`;

/** The survey link of a resolved engagement; null while it is not resolved. */
export function csatSurveyUrl(links: CsatLinks, e: Resolved): string | null {
  if (e.status !== "resolved" || !e.resolvedAt) return null;
  const mac = links.secrets.sign(signed({ tenantId: e.tenantId, id: e.id, resolvedAt: e.resolvedAt }), purpose);
  return `${links.baseUrl}/csat/${e.id}.${mac}`;
}

/** The brand a customer sees on the survey pages: the tenant's display name, colour and logo (inherited too). */
export interface SurveyBrand {
  name: string;
  primaryColor: string;
  logoUrl: string | null;
}

async function brandOf(tx: Tx, tenant: Tenant): Promise<SurveyBrand> {
  const { branding, name } = await tenantView(tx, tenant);
  return { name: branding.displayName?.trim() || name, primaryColor: branding.primaryColor, logoUrl: branding.logoUrl ?? null };
}

const email = z.email();

/**
 * Called in the resolving transaction with the resolved row: e-mail conversations get the survey link by mail
 * (queued in the same transaction: a rollback mails nothing). Others are asked through their channel by whoever
 * handles it (engagements.get carries the link). A customer who already rated is not asked again.
 */
export async function onResolved(
  tx: Tx,
  tenant: Tenant,
  e: Resolved & Pick<Engagement, "channel" | "customer" | "subject" | "csatSource">,
  links: CsatLinks,
): Promise<void> {
  const link = csatSurveyUrl(links, e);
  if (!link || e.channel !== "email" || e.csatSource === "customer" || !email.safeParse(e.customer).success) return;
  const { branding, name } = await tenantView(tx, tenant);
  await queueEmail(tx, tenant.id, {
    template: "csat-survey",
    to: e.customer,
    tenantName: name,
    subject: e.subject,
    link,
    branding: {
      primaryColor: branding.primaryColor,
      ...(branding.logoUrl ? { logoUrl: branding.logoUrl } : {}),
      ...(branding.displayName ? { displayName: branding.displayName } : {}),
    },
  });
}

/** The survey's form fields, as the page posts them (application/x-www-form-urlencoded). */
export const surveyAnswerInput = z.strictObject({
  rating: z.enum(["1", "2", "3", "4", "5"], { message: "Choose a rating from 1 to 5" }).transform(Number),
  comment: z
    .string()
    .max(2000, { message: "Keep the comment to 2,000 characters" })
    // Line breaks and tabs are a comment's; other control characters (NUL above all) are not.
    .refine((c) => hasNoControlChars(c.replace(/[\r\n\t]/g, "")), { message: "The comment contains characters we cannot store" })
    .transform((c) => c.trim())
    .optional(),
});

export interface SurveyRequest {
  db: DbHandle;
  secrets: Pick<SecretBox, "verify">;
  /** The tenant the request's host names; null on the bare domain or a foreign host. */
  slug: string | null;
  token: string;
  /** The client's address and the per-address limit per minute (AUTH_RATE_LIMIT_PER_MINUTE; 0: off). */
  ip: string | null;
  limitPerMinute: number;
}

export type SurveyOutcome =
  | { kind: "form"; brand: SurveyBrand; subject: string | null }
  | { kind: "thanks"; brand: SurveyBrand; rating: number }
  | { kind: "answered"; brand: SurveyBrand }
  | { kind: "invalid"; brand: SurveyBrand; subject: string | null; problems: string[] }
  | { kind: "not-found"; brand: SurveyBrand | null }
  | { kind: "too-many"; retryAfterSeconds: number };

const tokenPattern = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/**
 * Runs `fn` with the survey's engagement (locked for an answer) when the token is this tenant's current link of
 * a resolved engagement; `not-found` otherwise (unknown or closed tenant, another tenant's link, a stale link).
 */
async function withSurvey(
  req: SurveyRequest,
  opts: { lock: boolean },
  fn: (tx: Tx, tenant: Tenant, e: Engagement, brand: SurveyBrand) => Promise<SurveyOutcome>,
): Promise<SurveyOutcome> {
  if (req.limitPerMinute > 0) {
    const hit = await hitRateWindow(req.db.db, `csat:${req.ip ?? "unknown"}`);
    if (hit.count > req.limitPerMinute) return { kind: "too-many", retryAfterSeconds: Math.max(1, Math.ceil(hit.secondsLeft)) };
  }
  const parsed = tokenPattern.exec(req.token);
  const slug = req.slug;
  if (!slug) return { kind: "not-found", brand: null };
  return withScope(req.db, { tenantSlug: slug }, async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.slug, slug));
    if (!tenant || tenant.status !== "active") return { kind: "not-found", brand: null };
    await setScope(tx, tenantScope(tenant));
    if (tenant.parentId) {
      const [parent] = await tx.select({ status: tenants.status }).from(tenants).where(eq(tenants.id, tenant.parentId));
      if (parent?.status !== "active") return { kind: "not-found", brand: null };
    }
    const brand = await brandOf(tx, tenant);
    if (!parsed) return { kind: "not-found", brand };
    const [, id, mac] = parsed as unknown as [string, string, string];
    const query = tx.select().from(engagements).where(and(eq(engagements.tenantId, tenant.id), eq(engagements.id, id)));
    const [e] = opts.lock ? await query.for("update") : await query;
    // An erased customer's link is dead: an answer would write about them again.
    if (!e || e.status !== "resolved" || !e.resolvedAt || e.erasedAt) return { kind: "not-found", brand };
    if (!req.secrets.verify(signed({ tenantId: tenant.id, id: e.id, resolvedAt: e.resolvedAt }), purpose, mac)) {
      return { kind: "not-found", brand };
    }
    return fn(tx, tenant, e, brand);
  });
}

/** GET /csat/<token>: the form, or "already rated". */
export function openSurvey(req: SurveyRequest): Promise<SurveyOutcome> {
  return withSurvey(req, { lock: false }, async (_tx, _tenant, e, brand) =>
    e.csatSource === "customer" ? { kind: "answered", brand } : { kind: "form", brand, subject: e.subject },
  );
}

/** POST /csat/<token>: records the rating and comment once, live for every dashboard (an `updated` event). */
export function answerSurvey(req: SurveyRequest, form: Record<string, string | string[]>): Promise<SurveyOutcome> {
  return withSurvey(req, { lock: true }, async (tx, tenant, e, brand) => {
    if (e.csatSource === "customer") return { kind: "answered", brand };
    const answer = surveyAnswerInput.safeParse(form);
    if (!answer.success) return { kind: "invalid", brand, subject: e.subject, problems: answer.error.issues.map((i) => i.message) };
    const comment = answer.data.comment || null;
    await tx
      .update(engagements)
      .set({ csat: answer.data.rating, csatComment: comment, csatSource: "customer", updatedAt: sql`now()` })
      .where(and(eq(engagements.tenantId, tenant.id), eq(engagements.id, e.id)));
    await recordEvent(tx, tenant.id, e.id, "updated");
    await recordEngagementUpdated(tx, tenant.id, e.id);
    return { kind: "thanks", brand, rating: answer.data.rating };
  });
}
