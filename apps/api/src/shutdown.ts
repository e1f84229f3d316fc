/**
 * How the process ends: one drain-then-exit path for every reason, like close-with-grace (fastify/demo).
 * - SIGTERM / SIGINT: drain, exit 0.
 * - An uncaught exception or unhandled rejection: log it (fatal), drain the same way, exit 1. The process is in an
 *   unknown state, so it stops taking work, but requests and jobs already running get to finish.
 * - The drain has `drainMs` (SHUTDOWN_DRAIN_SECONDS) plus a small margin; past that, or on an uncaught error while
 *   draining, the process exits at once (1). A repeated signal is ignored.
 * `proc` and `exit` are parameters so the tests drive it with an EventEmitter instead of the real process.
 */
import type { EventEmitter } from "node:events";

export interface ShutdownLog {
  info(obj: object, msg: string): void;
  fatal(obj: object, msg: string): void;
}

export interface ShutdownOptions {
  log: ShutdownLog;
  /** Stops taking work and waits for what is running; resolves when the process may exit. */
  drain: (reason: string) => Promise<void>;
  drainMs: number;
  proc?: Pick<EventEmitter, "on">;
  exit?: (code: number) => void;
  /** Extra time past `drainMs` before the exit is forced (closing the pool, flushing logs). */
  marginMs?: number;
}

/** Installs the handlers; returns the shutdown function (for callers that end the process themselves). */
export function handleShutdown({ log, drain, drainMs, proc = process, exit = (code) => process.exit(code), marginMs = 5000 }: ShutdownOptions) {
  let stopping = false;

  async function shutdown(reason: string, err?: unknown) {
    if (stopping) {
      // A repeated signal changes nothing (a terminal's Ctrl-C reaches both `tsx watch` and the server, which then
      // sees it twice); an error while draining ends the process at once.
      if (err === undefined) return;
      log.fatal({ reason, err }, "uncaught error while draining: exiting now");
      return exit(1);
    }
    stopping = true;
    const code = err === undefined ? 0 : 1;
    if (code) log.fatal({ reason, err }, "uncaught error: draining, then exiting");
    else log.info({ signal: reason }, "shutting down: draining");
    const force = setTimeout(() => {
      log.fatal({ reason, drainMs }, "drain did not finish in time: exiting now");
      exit(1);
    }, drainMs + marginMs);
    force.unref();
    try {
      await drain(reason);
    } catch (drainErr) {
      log.fatal({ reason, err: drainErr }, "drain failed");
      clearTimeout(force);
      return exit(1);
    }
    clearTimeout(force);
    exit(code);
  }

  proc.on("SIGTERM", () => void shutdown("SIGTERM"));
  proc.on("SIGINT", () => void shutdown("SIGINT"));
  proc.on("uncaughtException", (err: unknown) => void shutdown("uncaughtException", err));
  proc.on("unhandledRejection", (reason: unknown) => void shutdown("unhandledRejection", reason ?? new Error("rejected with no reason")));
  return shutdown;
}
