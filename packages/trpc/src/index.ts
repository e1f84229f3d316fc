import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { appRouter, type AppRouter } from "./root";
/** Every procedure's input and output, inferred from `AppRouter`: the dashboard and the SDK take API shapes from here. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type { AppConfig, Context, RequestInfo } from "./context";
export { createCallerFactory } from "./trpc";
export { DomainError, retryAfterOf } from "./errors";
export { EventHub, type EventHubOptions } from "./lib/event-hub";
export { ENGAGEMENT_EVENTS_CHANNEL } from "./routers/engagements/engagement-events";
