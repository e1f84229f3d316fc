/**
 * Times every procedure call and reports it through `ctx.onProcedure` (the API feeds /metrics with it; packages
 * stay free of a metrics library). One report per call, so the calls of a batched request are counted one by one.
 * Outermost middleware: the duration covers the whole chain, and the code is the one the client receives.
 */
import { middleware } from "../trpc";

export const observeProcedure = middleware(async function observeProcedure({ ctx, path, type, next }) {
  if (!ctx.onProcedure) return next();
  const started = performance.now();
  const result = await next();
  ctx.onProcedure({ path, type, seconds: (performance.now() - started) / 1000, code: result.ok ? "OK" : result.error.code });
  return result;
});
