import { z } from "zod";
import { agentType } from "@switchboard/db";
import { pagination, uuid } from "../../lib/inputs";

export const agentConfiguration = z.strictObject({
  prompt: z.string().trim().min(1, { message: "Enter a prompt" }).max(20_000),
  voice: z.string().trim().min(1).max(100).optional(),
  /** BCP 47 tag such as `en` or `en-US`. */
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: "Use a language tag such as en-US" }),
  greeting: z.string().trim().max(1000).optional(),
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
