export { enqueue, type EnqueueOptions } from "./enqueue";
export { type JobData, type JobName, jobs, internalQueues } from "./queues";
export { startJobRunner, schedules, type JobLog, type JobRunner, type JobRunnerOptions } from "./runner";
export { cleanupAccounts, cleanupTenant, retention, tenantsToClean } from "./cleanup";
export { renderMail, escapeHtml, type MailMessage, type RenderedMail } from "./mail/templates";
export { redactLinks } from "./mail/redact";
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
