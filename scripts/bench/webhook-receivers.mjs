// Child process of the webhooks bench: `count` local HTTP receivers (one per endpoint), each checking the Standard
// Webhooks signature with its endpoint's secret and answering 204. Kept out of the bench's own process so the
// producer's event loop and the receivers' do not delay each other. Protocol (IPC):
//   → { type: "start", count }           ← { type: "ports", ports }
//   → { type: "secrets", secrets: { [port]: "whsec_…" } }
//   → { type: "report" }                 ← { type: "report", deliveries: [[webhookId, eventType, dataId, dataCreatedAt, firstAt, count, port]], badSignatures }
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";

const secrets = new Map(); // port → key bytes
const seen = new Map(); // webhook-id → entry
let badSignatures = 0;
const servers = [];

function verify(port, headers, body) {
  const key = secrets.get(port);
  if (!key) return false;
  const expected = createHmac("sha256", key).update(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`).digest();
  for (const part of String(headers["webhook-signature"] ?? "").split(" ")) {
    const [version, sig] = part.split(",");
    if (version !== "v1" || !sig) continue;
    const got = Buffer.from(sig, "base64");
    if (got.length === expected.length && timingSafeEqual(got, expected)) return true;
  }
  return false;
}

function receiver() {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString();
      const port = server.address().port;
      if (!verify(port, req.headers, body)) {
        badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const id = req.headers["webhook-id"];
      const entry = seen.get(id);
      if (entry) entry[5]++;
      else {
        const event = JSON.parse(body);
        seen.set(id, [id, event.type, event.data?.id ?? null, Date.parse(event.data?.createdAt ?? "") || null, at, 1, port]);
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

process.on("message", async (msg) => {
  if (msg.type === "start") {
    for (let i = 0; i < msg.count; i++) servers.push(await receiver());
    process.send({ type: "ports", ports: servers.map((s) => s.address().port) });
  } else if (msg.type === "secrets") {
    for (const [port, secret] of Object.entries(msg.secrets)) secrets.set(Number(port), Buffer.from(secret.replace(/^whsec_/, ""), "base64"));
  } else if (msg.type === "report") {
    process.send({ type: "report", deliveries: [...seen.values()], badSignatures });
  } else if (msg.type === "reset") {
    seen.clear();
    badSignatures = 0;
  }
});
