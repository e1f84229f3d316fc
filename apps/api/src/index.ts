/** What other packages (the SDK's tests, scripts) may import from the API: the app factory and its config. */
export { buildApp, type App, type AppOptions } from "./app";
export { loadEnv, type Env } from "./env";
