/**
 * Local HTTP servers a journey points the API at: a webhook receiver and a fake OpenAI-compatible provider, on
 * http://127.0.0.1 (the e2e API runs with WEBHOOKS_ALLOW_HTTP_LOCALHOST=true). Each records what it was sent so
 * the journey can check it; `waitFor` polls the record.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface LocalServer {
  url: string;
  received: Received[];
  /** Resolves with the first request `match` accepts (already received or arriving within `timeoutMs`). */
  waitFor(match: (r: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts a server on 127.0.0.1 whose answer to each request is `respond`'s. */
export async function startLocalServer(respond: (r: Received, res: ServerResponse) => void): Promise<LocalServer> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const r = { path: req.url ?? "/", headers: req.headers, body };
      received.push(r);
      respond(r, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching request within ${timeoutMs} ms; received: ${received.map((r) => r.path).join(", ") || "nothing"}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * Standard Webhooks: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the secret's bytes (after
 * `whsec_`). An independent check of what the API signs.
 */
export function hasValidSignature(secret: string, r: Received): boolean {
  const id = String(r.headers["webhook-id"] ?? "");
  const timestamp = String(r.headers["webhook-timestamp"] ?? "");
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${r.body}`).digest();
  return String(r.headers["webhook-signature"] ?? "")
    .split(" ")
    .some((sig) => {
      const [version, value] = sig.split(",");
      const given = Buffer.from(value ?? "", "base64");
      return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

export function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
