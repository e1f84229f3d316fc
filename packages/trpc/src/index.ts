import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { appRouter, type AppRouter } from "./root";
/** `GET /openapi.json`: the OpenAPI 3.1 document of a router (apps/api plugins/openapi.ts serves appRouter's). */
export { openApiDocument, type OpenApiOptions } from "./openapi/document";
/** Every procedure's input and output, inferred from `AppRouter`: the dashboard and the SDK take API shapes from here. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type { AppConfig, Context, RequestInfo } from "./context";
export { createCallerFactory } from "./trpc";
export { DomainError, retryAfterOf } from "./errors";
export { EventHub, type EventHubOptions } from "./lib/event-hub";
export { ENGAGEMENT_EVENTS_CHANNEL } from "./routers/engagements/engagement-events";
/** The customer survey pages (apps/api plugins/csat.ts): open and answer a survey link on the tenant's host; build one. */
export { answerSurvey, csatSurveyUrl, openSurvey, type SurveyBrand, type SurveyOutcome } from "./routers/csat/csat.service";
/** Signed links served by apps/api plugins/exports.ts: an export's file, the audit log's CSV; each download audited. */
export { openExportFile, recordLinkDownload, type ExportFileOutcome, type SignedLinkRequest } from "./routers/exports/exports.files";
export { openAuditExport, writeAuditCsv, type AuditCsvOutcome } from "./routers/audit/audit.export";
/** Twilio's callbacks (apps/api plugins/twilio-hooks.ts): checked against the tenant's auth token, then applied. */
export {
  receiveTwilioCallback,
  type TwilioCallback,
  type TwilioCallbackKind,
  type TwilioCallbackOutcome,
} from "./routers/integrations/twilio-callbacks";
export { type FormParams, twilioSignature } from "./routers/integrations/twilio-signature";
/** The AI reply job's thread writers (apps/api/src/worker.ts passes them to the job runner). */
export { aiThread } from "./routers/integrations/ai-thread";
/** `pnpm start`'s first run: AI replies on in the demo, with a chat waiting for the agent's answer. */
export { seedAiRepliesDemo } from "./routers/integrations/ai-demo";
