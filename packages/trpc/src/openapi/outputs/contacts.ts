import { z } from "zod";
import { contactHandleKind } from "@switchboard/db";
import { page, timestamp, uuid } from "./common";
import { call } from "./calls";
import { engagement } from "./conversations";
import { lead } from "./leads";

const contactFields = {
  id: uuid,
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  erasedAt: timestamp.nullable().describe("When privacy.eraseContact anonymised this contact (null: never)."),
  createdAt: timestamp,
  updatedAt: timestamp,
};
const contact = z.strictObject(contactFields);

export const contactsOutputs = {
  list: page(contact),
  get: z.strictObject({
    ...contactFields,
    handles: z.array(z.strictObject({ kind: z.enum(contactHandleKind.enumValues), value: z.string() })),
    engagements: z.array(engagement).describe("Recent engagements, newest first."),
    calls: z.array(call).describe("Recent calls, newest first."),
    leads: z.array(lead).describe("Recent leads, newest first."),
  }),
  create: contact,
  update: contact,
  merge: z.strictObject({
    ...contactFields,
    moved: z.strictObject({ engagements: z.number(), calls: z.number(), leads: z.number(), handles: z.number() }),
  }),
};
