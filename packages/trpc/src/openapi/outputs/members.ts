import { z } from "zod";
import { memberRole } from "@switchboard/db";
import { ok, page, timestamp, uuid } from "./common";

const member = z.strictObject({
  userId: uuid,
  email: z.string(),
  name: z.string(),
  role: z.enum(memberRole.enumValues),
  joinedAt: timestamp,
});

export const membersOutputs = {
  list: page(member),
  add: z.strictObject({
    status: z.literal("invited"),
    invitation: z.strictObject({ id: uuid, email: z.string(), role: z.enum(memberRole.enumValues), expiresAt: timestamp }),
  }),
  updateRole: member,
  remove: ok,
  leave: ok,
};
