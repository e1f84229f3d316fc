import { z } from "zod";
import { contactHandleKind } from "@switchboard/db";
import { timestamp, uuid } from "./common";

const counts = { engagements: z.number(), messages: z.number(), calls: z.number(), leads: z.number() };

export const privacyOutputs = {
  findContact: z.strictObject({
    contact: z.strictObject({
      id: uuid,
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      handles: z.array(z.strictObject({ kind: z.enum(contactHandleKind.enumValues), value: z.string() })),
      erasedAt: timestamp.nullable(),
    }),
    counts: z.strictObject(counts).describe("The person's rows: what an erasure would anonymise."),
  }),
  eraseContact: z.strictObject({
    erased: z.strictObject(counts).describe("Rows anonymised by this call (zeros when the contact was erased already)."),
  }),
};
