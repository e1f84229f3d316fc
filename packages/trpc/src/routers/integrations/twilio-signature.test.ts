import { describe, expect, it } from "vitest";
import { portVariants, twilioSignature, verifyTwilioSignature } from "./twilio-signature";

/**
 * The worked examples of Twilio's documentation: auth token `12345`, the URL with its query string, and the POST
 * parameters of a call. Sources: twilio.com/docs/usage/security ("Validating Requests are coming from Twilio", with
 * the caller +12349013030) and twilio-php's docs/usage/validation.rst (the same request from +14158675309).
 */
const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
const documented = [
  {
    params: { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" },
    signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
  },
  {
    params: { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" },
    signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
  },
];

describe("X-Twilio-Signature", () => {
  it("matches the documented examples, whatever order the parameters arrive in", () => {
    for (const { params, signature } of documented) {
      const pairs = Object.entries(params);
      expect(twilioSignature("12345", url, pairs)).toBe(signature);
      expect(twilioSignature("12345", url, [...pairs].reverse())).toBe(signature);
      expect(verifyTwilioSignature("12345", signature, url, pairs)).toBe(true);
    }
  });

  it("refuses any change to the token, URL, a parameter, or the signature", () => {
    const { params, signature } = documented[0]!;
    const pairs = Object.entries(params);
    expect(verifyTwilioSignature("12346", signature, url, pairs)).toBe(false);
    expect(verifyTwilioSignature("12345", signature, "https://mycompany.com/myapp.php?foo=1&bar=3", pairs)).toBe(false);
    expect(verifyTwilioSignature("12345", signature, "http://mycompany.com/myapp.php?foo=1&bar=2", pairs)).toBe(false);
    expect(verifyTwilioSignature("12345", signature, url, [...pairs, ["Body", ""]])).toBe(false);
    expect(verifyTwilioSignature("12345", signature, url, pairs.map(([k, v]) => [k, k === "Digits" ? "1235" : v]))).toBe(false);
    expect(verifyTwilioSignature("12345", signature, url, pairs.slice(1))).toBe(false);
    expect(verifyTwilioSignature("12345", signature.replace("0/", "1/"), url, pairs)).toBe(false);
    expect(verifyTwilioSignature("12345", "", url, pairs)).toBe(false);
    expect(verifyTwilioSignature("12345", `${signature}=`, url, pairs)).toBe(false);
  });

  it("accepts the URL with or without the scheme's default port, as Twilio's libraries do; never another port", () => {
    const pairs = Object.entries(documented[0]!.params);
    const withPort = twilioSignature("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", pairs);
    expect(verifyTwilioSignature("12345", withPort, url, pairs)).toBe(true);
    expect(verifyTwilioSignature("12345", documented[0]!.signature, "https://mycompany.com:443/myapp.php?foo=1&bar=2", pairs)).toBe(true);
    expect(verifyTwilioSignature("12345", documented[0]!.signature, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", pairs)).toBe(false);
    expect(portVariants("http://acme.localhost:3000/hooks/twilio/acme/voice")).toEqual(["http://acme.localhost:3000/hooks/twilio/acme/voice"]);
    expect(portVariants("http://a.example/x")).toEqual(["http://a.example/x", "http://a.example:80/x"]);
  });

  it("signs repeated names by value order, and the URL exactly as given (no re-encoding)", () => {
    const a = twilioSignature("t", "https://h/p?q=it's", [["M", "b"], ["M", "a"]]);
    expect(a).toBe(twilioSignature("t", "https://h/p?q=it's", [["M", "a"], ["M", "b"]]));
    expect(a).not.toBe(twilioSignature("t", "https://h/p?q=it%27s", [["M", "a"], ["M", "b"]]));
  });
});
