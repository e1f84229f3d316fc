// Keep-alive through the pinned lookup: requests to one endpoint reuse its pooled sockets (a new TCP, and for https
// TLS, connection per request would cost more CPU than the request), also after a burst of concurrent requests.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { outboundRequest } from "../src/net/outbound";

let server: http.Server;
let url: string;
let connections = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => setTimeout(() => res.writeHead(204).end(), 5));
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

const post = () => outboundRequest(url, { method: "POST", body: "{}", timeoutMs: 5000, allowHttpLocalhost: true });

it("reuses one socket for sequential requests, and a burst's sockets for the next burst", async () => {
  for (let i = 0; i < 20; i++) expect((await post()).status).toBe(204);
  expect(connections).toBe(1);
  for (let round = 0; round < 3; round++) {
    const answers = await Promise.all(Array.from({ length: 8 }, post));
    expect(answers.every((a) => a.status === 204)).toBe(true);
  }
  // At most 8 sockets per endpoint, all kept between bursts.
  expect(connections).toBeLessThanOrEqual(8);
});
