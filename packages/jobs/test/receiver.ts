import http from "node:http";
import type { AddressInfo } from "node:net";

/** A local webhook receiver on a free loopback port: `base` is its URL, `close` ends it and its connections. */
export async function startReceiver(handler: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
