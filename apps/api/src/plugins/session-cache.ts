/**
 * Keeps this process's session cache (packages/auth sessions.ts) in step with the other replicas: LISTENs on
 * `session_revoked` (the shared LISTEN connection) and evicts what another replica revoked; each time the LISTEN
 * is (re)established the whole cache is dropped, since notifications sent meanwhile are lost. Edit here to
 * change how revocations travel between replicas.
 */
import fp from "fastify-plugin";
import { sessionRevokedChannel } from "@switchboard/auth";

export default fp<{ enabled: boolean }>(async function sessionCache(app, opts) {
  if (!opts.enabled) return;
  const unlisten = await app.db.listen(
    sessionRevokedChannel,
    (payload) => app.auth.evictCached(payload),
    () => app.auth.evictCached(null),
  );
  app.addHook("onClose", async () => {
    await unlisten().catch(() => undefined);
  });
});
