export { enqueue, type EnqueueOptions } from "./enqueue";
export { type JobData, type JobName, jobs, internalQueues } from "./queues";
export { startJobRunner, schedules, type JobLog, type JobRunner, type JobRunnerOptions } from "./runner";
export { cleanupAccounts, cleanupTenant, retention, tenantsToClean } from "./cleanup";
export { forgetJobResults } from "./retention/job-results";
export { enqueueDuePurges, purgeDefaults, purgeTenant, tenantsDueForPurge, type PurgeOptions, type PurgeResult } from "./purge/purge-tenant";
export { renderMail, escapeHtml, type MailMessage, type RenderedMail } from "./mail/templates";
export { redactLinks } from "./mail/redact";
export { runExport, extensionOf, exportsPagePath, type ExportJobOptions, type ExportJobDeps } from "./exports/run-job";
export { expireExports } from "./exports/expire-job";
export { directoryStore, exportKey, type ExportStore, type StoredFile } from "./exports/store";
export { s3Store, type S3StoreOptions } from "./exports/s3-store";
export { csvCell, csvLine } from "./exports/csv";
export { readInBatches } from "./exports/cursor";
export { csvHeader, csvQuery, ndjsonQuery, type ExportKind, type ExportFormat } from "./exports/sources";
export { createMailer, type Mailer, type MailerOptions, type OutgoingMail } from "./mail/transport";
export { sendOutboxMail } from "./mail/send-job";
export {
  checkOutboundUrl,
  resolveOutboundUrl,
  refusedAddress,
  outboundRequest,
  OutboundUrlError,
  OutboundRequestError,
  type CheckedUrl,
  type OutboundRequest,
  type OutboundResponse,
  type OutboundUrlOptions,
  type Resolver,
} from "./net/outbound";
export { runAiReply, endpointFor, replyKey, aiKeyContext, type AiDefaults, type AiReplyDeps, type AiReplyOptions, type AiThread, type Attempt } from "./ai/reply-job";
export { runTwilioSend, twilioTokenContext, TwilioSendError, type TwilioSendDeps, type TwilioSendOptions } from "./twilio/send-job";
export { advances, deliveryStatusOf, twilioErrorText, type DeliveryStatus } from "./twilio/status";
export { chatCompletion, ProviderError, ECHO_MODEL, type ChatMessage, type Completion, type Endpoint } from "./ai/provider";
export { buildPrompt, handoffFromCustomer, mentions, HANDOFF_MARKER } from "./ai/conversation";
export {
  recordWebhookEvent,
  queueDelivery,
  WEBHOOK_DELIVERIES_CHANNEL,
  type WebhookEventInput,
} from "./webhooks/outbox";
export {
  generateWebhookSecret,
  signWebhook,
  webhookBody,
  webhookHeaders,
  webhookSecretContext,
  WEBHOOK_SECRET_PREFIX,
} from "./webhooks/sign";
export {
  startWebhookDispatcher,
  defaultBackoffMs,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from "./webhooks/dispatcher";
export { fanOutWebhookEvents } from "./webhooks/delivery-batches";
export { pruneWebhooks, pruneAllWebhooks, tenantsWithOldWebhookEvents, webhookRetentionDays } from "./webhooks/prune";
