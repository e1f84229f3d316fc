// The drain-then-exit path (src/shutdown.ts), driven through an EventEmitter standing in for the process: the same
// handlers server.ts installs on the real one.
import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { handleShutdown } from "../src/shutdown";

function harness(drain: (reason: string) => Promise<void> = async () => {}, drainMs = 1000) {
  const proc = new EventEmitter();
  const lines: { level: "info" | "fatal"; obj: Record<string, unknown>; msg: string }[] = [];
  const log = {
    info: (obj: object, msg: string) => void lines.push({ level: "info", obj: obj as Record<string, unknown>, msg }),
    fatal: (obj: object, msg: string) => void lines.push({ level: "fatal", obj: obj as Record<string, unknown>, msg }),
  };
  let exited: (code: number) => void;
  const exitCode = new Promise<number>((r) => (exited = r));
  const exit = vi.fn((code: number) => exited(code));
  const drainSpy = vi.fn(drain);
  handleShutdown({ log, drain: drainSpy, drainMs, marginMs: 50, proc, exit });
  return { proc, lines, exit, exitCode, drain: drainSpy };
}

describe("drain-then-exit", () => {
  it("SIGTERM drains, then exits 0", async () => {
    const h = harness();
    h.proc.emit("SIGTERM");
    expect(await h.exitCode).toBe(0);
    expect(h.drain).toHaveBeenCalledOnce();
    expect(h.lines).toEqual([{ level: "info", obj: { signal: "SIGTERM" }, msg: "shutting down: draining" }]);
  });

  it("an uncaught exception is logged, stops taking work (drain), and the process exits 1 once drained", async () => {
    let drained = false;
    const h = harness(async () => {
      await new Promise((r) => setTimeout(r, 20));
      drained = true;
    });
    const err = new Error("boom");
    h.proc.emit("uncaughtException", err);
    expect(h.drain).toHaveBeenCalledOnce();
    expect(h.exit).not.toHaveBeenCalled(); // still draining
    expect(await h.exitCode).toBe(1);
    expect(drained).toBe(true);
    expect(h.lines[0]).toMatchObject({ level: "fatal", obj: { reason: "uncaughtException", err }, msg: "uncaught error: draining, then exiting" });
  });

  it("an unhandled rejection takes the same path (exit 1)", async () => {
    const h = harness();
    h.proc.emit("unhandledRejection", new Error("nobody awaited me"), Promise.resolve());
    expect(await h.exitCode).toBe(1);
    expect(h.lines[0]).toMatchObject({ level: "fatal", obj: { reason: "unhandledRejection" } });
  });

  it("a drain that outlives SHUTDOWN_DRAIN_SECONDS (plus the margin) is cut short: exit 1", async () => {
    const h = harness(() => new Promise(() => {}), 30);
    h.proc.emit("SIGTERM");
    expect(await h.exitCode).toBe(1);
    expect(h.lines.at(-1)).toMatchObject({ level: "fatal", msg: "drain did not finish in time: exiting now" });
  });

  it("an uncaught error while draining exits at once, with 1; the drain runs once", async () => {
    const h = harness(() => new Promise(() => {}), 10_000);
    h.proc.emit("SIGTERM");
    h.proc.emit("uncaughtException", new Error("during drain"));
    expect(await h.exitCode).toBe(1);
    expect(h.drain).toHaveBeenCalledOnce();
  });

  it("a repeated signal while draining changes nothing (Ctrl-C reaches both tsx watch and the server)", async () => {
    let finish!: () => void;
    const h = harness(() => new Promise<void>((r) => (finish = r)));
    h.proc.emit("SIGINT");
    h.proc.emit("SIGINT");
    h.proc.emit("SIGTERM");
    expect(h.exit).not.toHaveBeenCalled();
    finish();
    expect(await h.exitCode).toBe(0);
    expect(h.drain).toHaveBeenCalledOnce();
  });

  it("a drain that fails exits 1", async () => {
    const h = harness(() => Promise.reject(new Error("pool would not close")));
    h.proc.emit("SIGINT");
    expect(await h.exitCode).toBe(1);
    expect(h.lines.at(-1)).toMatchObject({ level: "fatal", msg: "drain failed" });
  });
});
