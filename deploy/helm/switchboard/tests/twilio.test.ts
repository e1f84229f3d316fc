// Replies through Twilio in the chart: the worker's TWILIO_API_BASE_URL is Twilio's by default, may name an egress
// proxy, and is https only (it carries tenants' auth tokens).
import { describe, expect, it } from "vitest";
import { MINIMAL, one, render, renderError } from "./helpers/chart.js";

describe("Twilio", () => {
  it("TWILIO_API_BASE_URL is Twilio's by default, or the named https URL", async () => {
    expect(one(await render({ files: MINIMAL }), "ConfigMap").data!.TWILIO_API_BASE_URL).toBe("https://api.twilio.com");
    const proxied = await render({ files: MINIMAL, values: { twilio: { apiBaseUrl: "https://twilio-egress.proxy.svc" } } });
    expect(one(proxied, "ConfigMap").data!.TWILIO_API_BASE_URL).toBe("https://twilio-egress.proxy.svc");
  });

  it("refuses anything but an https URL without credentials, query or fragment", async () => {
    for (const bad of ["http://api.twilio.com", "api.twilio.com", "https://user:pw@api.twilio.com", "https://api.twilio.com/?x=1", ""]) {
      expect(await renderError({ files: MINIMAL, values: { twilio: { apiBaseUrl: bad } } }), bad).toContain("/twilio/apiBaseUrl");
    }
  });
});
