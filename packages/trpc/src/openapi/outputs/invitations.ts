import { z } from "zod";
import { memberRole } from "@switchboard/db";
import { page, timestamp, uuid } from "./common";

const invitation = z.strictObject({
  id: uuid,
  email: z.string(),
  role: z.enum(memberRole.enumValues),
  status: z.enum(["pending", "accepted", "revoked", "expired"]),
  invitedBy: z.string().nullable(),
  createdAt: timestamp,
  expiresAt: timestamp,
  acceptedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
});

export const invitationsOutputs = {
  list: page(invitation),
  revoke: invitation,
  mine: page(
    z.strictObject({
      id: uuid,
      tenant: z.strictObject({ id: uuid, slug: z.string(), name: z.string() }),
      role: z.enum(memberRole.enumValues),
      expiresAt: timestamp,
    }),
  ),
  accept: z.strictObject({ tenant: z.strictObject({ id: uuid, slug: z.string() }) }),
};
