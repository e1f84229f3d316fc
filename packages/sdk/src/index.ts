/**
 * The typed Switchboard client for outside developers. Its types are the server's router flattened at build time
 * (contract.ts), so the published package needs nothing of the server; at run time it is @trpc/client and
 * `eventsource`.
 */
export { createClient, type ClientOptions, type SwitchboardClient } from "./client.js";
export type { AppRouter, RouterInputs, RouterOutputs } from "./router.js";
export { pages, paginate, type ListInput, type ListProcedure, type Page, type PaginateOptions } from "./paginate.js";
export { parseRetryAfter, retryOnTooManyRequests, type RetryOptions } from "./retry.js";
export {
  verifyWebhook,
  WebhookVerificationError,
  type VerifyWebhookOptions,
  type WebhookEvent,
  type WebhookEventData,
  type WebhookEventType,
  type WebhookHeaders,
} from "./webhooks.js";
export { TRPCClientError } from "@trpc/client";
