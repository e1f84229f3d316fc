import { z } from "zod";
import { agentType } from "@switchboard/db";
import { pagination, uuid } from "../../lib/inputs";

/**
 * An OpenAI-compatible endpoint's base (`https://api.openai.com/v1`, a vLLM or Ollama server's `/v1`): the job posts
 * to `<baseUrl>/chat/completions`. Credentials, a query or a fragment have no place in it (it is shown again, and
 * the key is set apart with integrations.ai.set). Its address is checked like a webhook URL by the service.
 */
export const providerBaseUrl = z
  .string()
  .trim()
  .max(2048)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && !url.search && !url.hash;
      } catch {
        return false;
      }
    },
    { message: "Use an https:// URL without credentials, query or fragment, such as https://api.openai.com/v1" },
  )
  .transform((value) => value.replace(/\/+$/, ""));

/** Model names of OpenAI, vLLM (`meta-llama/Llama-3.1-8B-Instruct`) and Ollama (`llama3.2:3b`). */
const modelName = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/, { message: "Use a model name such as gpt-4o-mini" });

/** Which model answers a chat agent's conversations; without `baseUrl`, the deployment's AI_BASE_URL. */
export const agentProvider = z.strictObject({ model: modelName, baseUrl: providerBaseUrl.optional() });

export const agentConfiguration = z.strictObject({
  prompt: z.string().trim().min(1, { message: "Enter a prompt" }).max(20_000),
  voice: z.string().trim().min(1).max(100).optional(),
  /** BCP 47 tag such as `en` or `en-US`. */
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: "Use a language tag such as en-US" }),
  greeting: z.string().trim().max(1000).optional(),
  provider: agentProvider.optional(),
});

const name = z.string().trim().min(1, { message: "Enter a name" }).max(100);
const type = z.enum(agentType.enumValues);

export const listAgentsInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const agentIdInput = z.strictObject({ id: uuid });
export const createAgentInput = z.strictObject({ name, type, configuration: agentConfiguration });
export const updateAgentInput = z.strictObject({
  id: uuid,
  name: name.optional(),
  type: type.optional(),
  configuration: agentConfiguration.optional(),
});

export type ListAgentsInput = z.infer<typeof listAgentsInput>;
export type CreateAgentInput = z.infer<typeof createAgentInput>;
export type UpdateAgentInput = z.infer<typeof updateAgentInput>;
