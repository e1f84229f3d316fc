/** Input building blocks shared by every router's `*.input.ts`. */
import { z } from "zod";
import { isCommonPassword } from "@switchboard/auth";

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "Enter a valid email address" }));

/** A new password: 10..256 characters and not on the bundled list of common and breached passwords. */
export const password = z
  .string()
  .min(10, { message: "Use at least 10 characters" })
  .max(256, { message: "Use at most 256 characters" })
  .refine((p) => !isCommonPassword(p), { message: "This password is too common (it appears in breach lists): choose another" });

/** No control characters: PostgreSQL refuses NUL in text, and none belongs in a name or label. */
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f]/;
export const hasNoControlChars = (s: string) => !controlChars.test(s);
export const singleLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: "Must not be empty" })
    .max(max, { message: `Use at most ${max} characters` })
    .refine((s) => !controlChars.test(s), { message: "Must not contain control characters" });

export const personName = singleLine(100);
/** Names of things (API keys, departments): one line, 1..100. */
export const label = singleLine(100);

export const slug = z
  .string()
  .min(3, { message: "Use at least 3 characters" })
  .max(63, { message: "Use at most 63 characters" })
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])$/, {
    message: "Use lowercase letters, digits and inner hyphens only",
  });

export const uuid = z.uuid({ message: "Must be a UUID" });

/** List pagination: `{ limit?: 1..100 = 50, cursor? }` (contract). */
export const pagination = {
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
  /**
   * Sent by tRPC's infinite queries (`useInfiniteQuery`) with every page request. Lists page forward only, so
   * it is accepted and ignored rather than refused as an unknown key.
   */
  direction: z.enum(["forward", "backward"]).optional(),
};

/** An ISO-8601 timestamp with an offset (`2026-01-31T12:00:00Z`), as a Date. */
export const isoDateTime = z.iso
  .datetime({ offset: true, message: "Use an ISO-8601 timestamp such as 2026-01-31T12:00:00Z" })
  .transform((s) => new Date(s));

/** Keys that integrations send so a retried webhook does not create a second row. */
export const idempotencyKey = z.string().trim().min(1).max(200);

export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ().-]{2,30}$/, { message: "Enter a phone number such as +15551234567" });
