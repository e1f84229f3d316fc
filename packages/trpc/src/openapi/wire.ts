/**
 * The tRPC HTTP envelope around every procedure's input and output (no transformer: plain JSON), as zod schemas
 * the document converts like any other. Edit only if trpc.ts's error shape changes.
 */
import { z } from "zod";

/** A successful answer: `{ result: { data } }`. */
export const resultEnvelope = (data: z.ZodType) => z.strictObject({ result: z.strictObject({ data }) });

/** tRPC's error codes that this API answers with, and their HTTP statuses (contract: "Wire format"). */
export const errorStatuses = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
} as const;
export type ErrorCode = keyof typeof errorStatuses;

/** The error envelope (trpc.ts `errorFormatter`): never a stack, SQL or another tenant's data. */
export const errorEnvelope = z.strictObject({
  error: z.strictObject({
    message: z.string().describe("For people; a validation error names the offending fields."),
    code: z.number().int().describe("The JSON-RPC 2.0 code tRPC pairs with `data.code` (e.g. -32600 for BAD_REQUEST)."),
    data: z.strictObject({
      code: z.enum(Object.keys(errorStatuses) as [ErrorCode, ...ErrorCode[]]),
      httpStatus: z.number().int(),
      path: z.string().optional().describe("The procedure's path."),
      issues: z
        .array(z.strictObject({ path: z.string(), message: z.string() }))
        .optional()
        .describe("BAD_REQUEST from validation: one entry per offending field (`path` dotted, e.g. `branding.logoUrl`)."),
    }),
  }),
});
