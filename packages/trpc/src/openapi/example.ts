/**
 * A small example input for an operation, so the rendered reference's request snippets (curl and the like) carry
 * `?input=…` or a body instead of nothing. Built from the input's JSON Schema — required fields only, the first
 * enum value, a sample per format — and kept only if the procedure's own zod schema accepts it: an example the API
 * would refuse is never shown (fields with patterns, such as phone numbers, usually leave none).
 */
import type { z } from "zod";

type Json = Record<string, unknown>;

/** Samples per format; the n-th of an example differs from the others (ids that must differ, ranges in order). */
const byFormat: Record<string, (n: number) => string> = {
  uuid: (n) => `3f6c2a9e-8b1d-4c7a-9e2f-5a4b3c2d1e${(15 + n).toString(16).padStart(2, "0")}`,
  "date-time": (n) => `2026-01-${String(1 + n).padStart(2, "0")}T00:00:00Z`,
  email: () => "ada@example.com",
  uri: () => "https://example.com",
};

function sample(schema: Json, counter = { n: 0 }): unknown {
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const options = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (options) return sample(options.find((o) => o.type !== "null") ?? options[0]!, counter);
  switch (schema.type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Json>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((key) => [key, sample(properties[key] ?? {}, counter)]));
    }
    case "array":
      return typeof schema.minItems === "number" && schema.minItems > 0 ? [sample((schema.items ?? {}) as Json, counter)] : [];
    case "string": {
      const format = byFormat[schema.format as string];
      if (format) return format(counter.n++);
      const min = typeof schema.minLength === "number" ? schema.minLength : 1;
      return "example".padEnd(min, "x");
    }
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 1;
    case "boolean":
      return true;
    default:
      return null;
  }
}

/** An example of `input` the procedure accepts, or undefined when none can be made this simply. */
export function exampleInput(input: z.ZodType, jsonSchema: Json): unknown {
  const example = sample(jsonSchema);
  return example !== undefined && input.safeParse(example).success ? example : undefined;
}
