import { z } from "zod";
import { availabilityStatus } from "@switchboard/db";
import { page, uuid } from "./common";

const availability = z.strictObject({
  userId: uuid,
  name: z.string(),
  status: z.enum(availabilityStatus.enumValues),
  openEngagements: z.number(),
});

export const availabilityOutputs = {
  list: page(availability),
  set: availability,
};
