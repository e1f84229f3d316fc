import { z } from "zod";
import { availabilityStatus } from "@switchboard/db";
import { pagination } from "../../lib/inputs";

export const setAvailabilityInput = z.strictObject({ status: z.enum(availabilityStatus.enumValues) });
export const listAvailabilityInput = z.strictObject({ ...pagination }).default({ limit: 50 });
