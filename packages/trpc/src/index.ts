export { appRouter, type AppRouter } from "./root";
export type { AppConfig, Context, RequestInfo } from "./context";
export { createCallerFactory } from "./trpc";
export { DomainError, retryAfterOf } from "./errors";
export { EventHub, type EventHubOptions } from "./lib/event-hub";
export { ENGAGEMENT_EVENTS_CHANNEL } from "./routers/engagements/engagements.service";
