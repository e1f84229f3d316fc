export { appRouter, type AppRouter } from "./root";
export type { Context, RequestInfo } from "./context";
export { createCallerFactory } from "./trpc";
export { DomainError } from "./errors";
