/**
 * Twilio's request signature (X-Twilio-Signature), as its documentation describes it: the full URL Twilio requested
 * (scheme, host, path and query string, exactly as configured), then every POST parameter sorted by name with its
 * value appended (no separators), HMAC-SHA1 under the account's auth token, base64. Compared in constant time.
 *
 * Ports: Twilio's own helper libraries accept a signature over the URL with or without the scheme's default port
 * (`https://host:443/…` ≡ `https://host/…`), because some proxies add or drop it; so does `verifyTwilioSignature`.
 * The URL is taken as a string, never re-serialised through `URL` (which would re-encode the query and change
 * what was signed).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Form fields in the order received; a name may repeat. */
export type FormParams = readonly (readonly [name: string, value: string])[];

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The signature Twilio sends for `url` and `params` under `authToken`. */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  const sorted = [...params].sort(([ak, av], [bk, bv]) => byCodeUnits(ak, bk) || byCodeUnits(av, bv));
  const hmac = createHmac("sha1", authToken).update(url, "utf8");
  for (const [name, value] of sorted) hmac.update(name + value, "utf8");
  return hmac.digest("base64");
}

const defaultPorts: Record<string, string> = { http: "80", https: "443" };

/** `url` itself, and the same with the scheme's default port added or removed. */
export function portVariants(url: string): string[] {
  const m = /^(https?):\/\/([^/?#]*?)(?::(\d+))?([/?#].*)?$/i.exec(url);
  if (!m) return [url];
  const [, scheme, host, port, rest = ""] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const standard = defaultPorts[scheme.toLowerCase()]!;
  if (port === undefined) return [url, `${scheme}://${host}:${standard}${rest}`];
  if (port === standard) return [url, `${scheme}://${host}${rest}`];
  return [url];
}

/** Whether `signature` is Twilio's for this request under `authToken` (see the header on ports). */
export function verifyTwilioSignature(authToken: string, signature: string, url: string, params: FormParams): boolean {
  const given = Buffer.from(signature, "utf8");
  let ok = false;
  for (const candidate of portVariants(url)) {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params), "utf8");
    // Every variant is computed and compared, so the time taken does not say which one matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
