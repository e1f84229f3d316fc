import type { DbHandle } from "@switchboard/db";
import { startWebhookDispatcher, type WebhookDispatcherOptions } from "../src/webhooks/dispatcher";

/**
 * The webhook dispatcher as a worker runs it, for tests: secrets stored as is (the tests seal nothing), local
 * receivers allowed, logs dropped, a short poll; `options` override any of it.
 */
export function startTestDispatcher(db: DbHandle, options: Partial<WebhookDispatcherOptions> = {}) {
  return startWebhookDispatcher({
    db,
    secrets: { open: (sealed) => sealed },
    allowHttpLocalhost: true,
    tenantLink: (slug, path) => `http://${slug}.localhost${path}`,
    log: { info() {}, warn() {}, error() {} },
    pollMs: 50,
    ...options,
  });
}
