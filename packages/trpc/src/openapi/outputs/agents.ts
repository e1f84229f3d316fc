import { z } from "zod";
import { agentType } from "@switchboard/db";
import { deleted, page, timestamp, uuid } from "./common";

const agent = z.strictObject({
  id: uuid,
  name: z.string(),
  type: z.enum(agentType.enumValues),
  configuration: z.strictObject({
    prompt: z.string(),
    voice: z.string().optional(),
    language: z.string(),
    greeting: z.string().optional(),
    provider: z
      .strictObject({ model: z.string(), baseUrl: z.string().optional() })
      .optional()
      .describe("Chat agents: the OpenAI-compatible model that answers (baseUrl: the tenant's own endpoint)."),
  }),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const agentsOutputs = {
  list: page(agent),
  get: agent,
  create: agent,
  update: agent,
  delete: deleted,
};
