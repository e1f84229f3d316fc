/**
 * A customer's handles, normalised so the same person matches across channels, calls and leads (contract v2,
 * conversations): e-mail addresses lower-cased, phone numbers in E.164 (libphonenumber-js), @handles lower-cased,
 * other channel ids trimmed. Used by the services (per row, in the tenant's scope) and by the online migration that
 * backfills contacts for rows written before issue #13 (in bulk, as the owner), so both match identically.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { contactHandleKind, engagementChannel } from "./schema/index";

export type HandleKind = (typeof contactHandleKind.enumValues)[number];
export type Channel = (typeof engagementChannel.enumValues)[number];

/** WhatsApp and voice reach a customer by phone number. */
export function handleKindOf(channel: Channel): HandleKind {
  switch (channel) {
    case "whatsapp":
    case "sms":
    case "voice":
      return "phone";
    default:
      return channel;
  }
}

/**
 * E.164 when libphonenumber-js can read the number as possible ("+1 (555) 000-1111", "0044 20 7946 0958"); else the
 * digits with a leading "+" kept (a number without a country code cannot be placed, but the same digits still match).
 */
function normalisePhone(raw: string): string {
  const international = raw.replace(/^\s*00(?=\d)/, "+");
  const parsed = parsePhoneNumberFromString(international);
  if (parsed?.isPossible()) return parsed.number;
  const digits = international.replace(/[^\d+]/g, "");
  return /^\+?\d+$/.test(digits) ? digits : raw.trim();
}

/** The stored form of a handle, or null when nothing is left of it. */
export function normaliseHandle(kind: HandleKind, raw: string): string | null {
  const value = raw.trim();
  if (value === "") return null;
  switch (kind) {
    case "email":
      return value.toLowerCase();
    case "phone":
      return normalisePhone(value);
    case "twitter": {
      const handle = value.replace(/^@+/, "").toLowerCase();
      return handle === "" ? null : `@${handle}`;
    }
    default:
      return value;
  }
}
