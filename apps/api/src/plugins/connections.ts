/**
 * Keep-alive and shutdown (contract, "Limits and input": a response sent with `Connection: keep-alive` leaves the
 * connection usable; a server that will close says `Connection: close`).
 * - Connections are never ended by hand: an ended or refused event stream leaves its keep-alive connection usable
 *   for the client's next request, like any other response.
 * - While the process drains (SIGTERM: `app.lifecycle.draining`) and while it closes, every response says
 *   `Connection: close` and Node closes the connection after it, so clients move to another replica instead of
 *   finding a closed socket later. (tRPC's SSE response sets `Connection: keep-alive` itself: overridden here too.)
 * - On close (Fastify): requests arriving now are answered 503 with `Connection: close` (`return503OnClosing`); the
 *   events plugin's preClose ends the streams; this plugin's preClose (registered after it) waits for responses
 *   still in flight, at most `graceMs`; then Fastify closes every connection left (`forceCloseConnections: true`),
 *   i.e. idle keep-alive ones, at once instead of after their keep-alive timeout.
 */
import fp from "fastify-plugin";

export default fp<{ graceMs: number }>(async function connections(app, opts) {
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | null = null;

  app.addHook("onRequest", async (_request, reply) => {
    inFlight++;
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      if (--inFlight === 0) drained?.();
    };
    reply.raw.once("finish", finished);
    reply.raw.once("close", finished);
  });

  app.addHook("onSend", async (_request, reply, payload) => {
    if (!closing && !app.lifecycle.draining) return payload;
    reply.header("connection", "close");
    if (payload instanceof Response) payload.headers.set("connection", "close");
    return payload;
  });

  app.addHook("preClose", async () => {
    closing = true;
    if (inFlight === 0) return;
    await new Promise<void>((resolve) => {
      drained = resolve;
      setTimeout(resolve, opts.graceMs).unref();
    });
  });
});
