/**
 * What each procedure answers, as zod schemas: the source of every response schema in `GET /openapi.json`.
 * Procedures declare no `.output()` (validating every answer would cost the hot path), so these live beside the
 * router instead, one file per domain, shaped like the domain's router (`{ list, get, mfa: { setup } }`).
 *
 * Adding a domain: write `outputs/<domain>.ts` exporting `<domain>Outputs` and add one line below. A procedure
 * without an entry fails openapi/outputs.test.ts ("every procedure has an output schema"), and a schema that no
 * longer matches what the service returns fails the drift test there.
 */
import { z } from "zod";
import { agentsOutputs } from "./agents";
import { analyticsOutputs } from "./analytics";
import { apiKeysOutputs } from "./api-keys";
import { auditOutputs } from "./audit";
import { authOutputs } from "./auth";
import { availabilityOutputs } from "./availability";
import { callsOutputs } from "./calls";
import { cannedResponsesOutputs } from "./canned-responses";
import { contactsOutputs } from "./contacts";
import { engagementsOutputs } from "./engagements";
import { integrationsOutputs } from "./integrations";
import { invitationsOutputs } from "./invitations";
import { labelsOutputs } from "./labels";
import { leadsOutputs } from "./leads";
import { membersOutputs } from "./members";
import { messagesOutputs } from "./messages";
import { platformOutputs } from "./platform";
import { privacyOutputs } from "./privacy";
import { tenantOutputs } from "./tenant";
import { tenantsOutputs } from "./tenants";
import { webhooksOutputs } from "./webhooks";
import { exportsOutputs } from "./exports";

/** A domain's output schemas, nested like its router. */
export interface OutputTree {
  [key: string]: z.ZodType | OutputTree;
}

const byDomain: OutputTree = {
  auth: authOutputs,
  tenant: tenantOutputs,
  tenants: tenantsOutputs,
  members: membersOutputs,
  invitations: invitationsOutputs,
  apiKeys: apiKeysOutputs,
  audit: auditOutputs,
  agents: agentsOutputs,
  calls: callsOutputs,
  leads: leadsOutputs,
  engagements: engagementsOutputs,
  messages: messagesOutputs,
  contacts: contactsOutputs,
  cannedResponses: cannedResponsesOutputs,
  labels: labelsOutputs,
  availability: availabilityOutputs,
  analytics: analyticsOutputs,
  platform: platformOutputs,
  privacy: privacyOutputs,
  webhooks: webhooksOutputs,
  exports: exportsOutputs,
  integrations: integrationsOutputs,
};

function flatten(tree: OutputTree, prefix = ""): [string, z.ZodType][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value instanceof z.ZodType ? [[`${prefix}${key}`, value] as [string, z.ZodType]] : flatten(value, `${prefix}${key}.`),
  );
}

/** Output schema by procedure path (`calls.list`, `auth.mfa.setup`). For a subscription: each event's data. */
export const procedureOutputs: ReadonlyMap<string, z.ZodType> = new Map(flatten(byDomain));
