import { z } from "zod";
import { exportFormat, exportKind } from "@switchboard/db";
import { pagination, uuid } from "../../lib/inputs";

/** Exports pending or running at once per tenant; one more is PRECONDITION_FAILED until one finishes. */
export const MAX_OPEN_EXPORTS = 3;

export const createExportInput = z.strictObject({
  kinds: z
    .array(z.enum(exportKind.enumValues))
    .min(1, { message: "Choose at least one kind of data" })
    .max(exportKind.enumValues.length)
    .refine((k) => new Set(k).size === k.length, { message: "Name each kind once" }),
  format: z.enum(exportFormat.enumValues),
});
export const listExportsInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const exportIdInput = z.strictObject({ id: uuid });

export type CreateExportInput = z.infer<typeof createExportInput>;
