/**
 * What Twilio does to the API in a journey: POSTs a form to a callback URL with X-Twilio-Signature = base64 HMAC-SHA1
 * (auth token) of the URL followed by each parameter's name and value, sorted by name. Sent to 127.0.0.1 with the
 * URL's host in Host (Node does not resolve *.localhost).
 */
import { createHmac, randomBytes } from "node:crypto";
import { request } from "node:http";

export type TwilioForm = [string, string][];

export function postTwilio(callbackUrl: string, params: TwilioForm, authToken: string): Promise<{ status: number; body: string }> {
  const signed = callbackUrl + [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => k + v).join("");
  const signature = createHmac("sha1", authToken).update(signed, "utf8").digest("base64");
  const target = new URL(callbackUrl);
  const body = new URLSearchParams(params).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: target.port,
        path: target.pathname + target.search,
        method: "POST",
        headers: {
          host: target.host,
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
          "x-twilio-signature": signature,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A fresh Twilio message SID. */
export const messageSid = () => `SM${randomBytes(16).toString("hex")}`;
