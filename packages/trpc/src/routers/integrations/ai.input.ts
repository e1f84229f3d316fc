import { z } from "zod";

/** A provider's API key (OpenAI's `sk-…`, a vLLM or Ollama server's token): printable ASCII without spaces. */
export const setAiKeyInput = z.strictObject({
  apiKey: z
    .string()
    .trim()
    .min(1, { message: "Enter the API key" })
    .max(500, { message: "Use at most 500 characters" })
    .regex(/^[\x21-\x7e]+$/, { message: "An API key is printable ASCII without spaces" }),
});

export type SetAiKeyInput = z.infer<typeof setAiKeyInput>;
