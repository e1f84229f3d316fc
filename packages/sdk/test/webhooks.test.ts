// verifyWebhook against an independent implementation of Standard Webhooks (the `standardwebhooks` package signs),
// and against what the API's webhook dispatcher sends (@switchboard/jobs' headers and body).
import { randomBytes } from "node:crypto";
import { generateWebhookSecret, webhookBody, webhookHeaders } from "@switchboard/jobs";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyWebhook, WebhookVerificationError } from "../src/index";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const signer = new Webhook(secret);
const body = JSON.stringify({ type: "ping", timestamp: "2026-12-02T03:00:00.000Z", data: { webhookId: "w1", message: "hi" } });

function delivery(at: Date, payload = body, id = "msg_2f8d") {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signer.sign(id, at, payload),
  };
}

describe("verifyWebhook", () => {
  it("accepts a delivery signed by standardwebhooks and returns its event (plain headers, Headers, bytes)", async () => {
    const now = new Date();
    const headers = delivery(now);
    const event = await verifyWebhook(secret, headers, body);
    expect(event).toEqual({ type: "ping", timestamp: "2026-12-02T03:00:00.000Z", data: { webhookId: "w1", message: "hi" } });
    if (event.type === "ping") expect(event.data.webhookId).toBe("w1");
    await expect(verifyWebhook(secret, new Headers(headers), new TextEncoder().encode(body))).resolves.toEqual(event);
    // Node's req.headers: lower-case names, values possibly arrays.
    const node = { ...headers, "webhook-signature": [headers["webhook-signature"]] };
    await expect(verifyWebhook(secret, node, Buffer.from(body))).resolves.toEqual(event);
  });

  it("accepts a delivery as the API's dispatcher signs and sends it", async () => {
    const endpointSecret = generateWebhookSecret();
    const sent = webhookBody({ type: "lead.created", createdAt: new Date(), data: { id: "l1", name: "Ada", status: "new" } });
    const headers = webhookHeaders(endpointSecret, "evt_1", sent);
    const event = await verifyWebhook(endpointSecret, new Headers(headers), sent);
    expect(event).toMatchObject({ type: "lead.created", data: { name: "Ada" } });
    if (event.type === "lead.created") expect(event.data.status).toBe("new");
    await expect(verifyWebhook(secret, headers, sent)).rejects.toBeInstanceOf(WebhookVerificationError);
  });

  it("accepts any matching v1 signature of several (secret rotation)", async () => {
    const headers = delivery(new Date());
    const other = new Webhook(`whsec_${randomBytes(32).toString("base64")}`).sign(headers["webhook-id"], new Date(), body);
    const rotated = { ...headers, "webhook-signature": `v2,abc ${other} ${headers["webhook-signature"]}` };
    await expect(verifyWebhook(secret, rotated, body)).resolves.toMatchObject({ type: "ping" });
  });

  it("refuses a changed body, another id, another secret, a missing header, an unsigned version and a signed non-JSON body", async () => {
    const headers = delivery(new Date());
    const refused = (p: Promise<unknown>) => expect(p).rejects.toBeInstanceOf(WebhookVerificationError);
    await refused(verifyWebhook(secret, headers, body.replace("hi", "ho")));
    await refused(verifyWebhook(secret, { ...headers, "webhook-id": "msg_other" }, body));
    await refused(verifyWebhook(`whsec_${randomBytes(32).toString("base64")}`, headers, body));
    await refused(verifyWebhook(secret, { ...headers, "webhook-signature": undefined }, body));
    await refused(verifyWebhook(secret, { ...headers, "webhook-signature": headers["webhook-signature"].replace("v1,", "v2,") }, body));
    await refused(verifyWebhook(secret, { ...headers, "webhook-signature": "v1,not*base64" }, body));
    const notJson = "not json";
    await refused(verifyWebhook(secret, delivery(new Date(), notJson), notJson));
  });

  it("accepts timestamps within 5 minutes either way and refuses older or later ones (replays)", async () => {
    const now = new Date("2026-12-02T03:00:00Z");
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    await expect(verifyWebhook(secret, delivery(at(-299)), body, { now })).resolves.toBeDefined();
    await expect(verifyWebhook(secret, delivery(at(299)), body, { now })).resolves.toBeDefined();
    await expect(verifyWebhook(secret, delivery(at(-301)), body, { now })).rejects.toThrow("tolerance");
    await expect(verifyWebhook(secret, delivery(at(301)), body, { now })).rejects.toThrow("tolerance");
    await expect(verifyWebhook(secret, delivery(at(-3600)), body, { now, toleranceSeconds: 7200 })).resolves.toBeDefined();
    await expect(verifyWebhook(secret, { ...delivery(now), "webhook-timestamp": "1e9" }, body, { now })).rejects.toThrow("timestamp");
  });
});
