/**
 * The thread writers the `ai.reply` job uses (it lives in @switchboard/jobs, below this package): the agent's answer
 * goes through the messages service and the handoff through the engagements service, so live events and webhooks
 * follow them like any other change. apps/api/src/worker.ts passes this to the job runner.
 */
import type { AiThread } from "@switchboard/jobs";
import { handOffToPeople } from "../engagements/engagements.service";
import { postAiReply } from "../messages/messages.service";

export const aiThread: AiThread = {
  postReply: async (tx, _tenant, reply) => {
    await postAiReply(tx, reply);
  },
  handOff: (tx, tenant, engagementId, note) => handOffToPeople(tx, tenant, engagementId, note),
};
