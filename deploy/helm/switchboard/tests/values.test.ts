// Bad values are refused before anything reaches a cluster: shapes by values.schema.json, relations between
// keys by validateValues in _helpers.tpl. Each case asserts the message an operator would read.
import { describe, expect, it } from "vitest";
import { MINIMAL, renderError } from "./helpers/chart.js";

const SCHEMA = "values don't meet the specifications of the schema";

describe("values.schema.json refuses", () => {
  it.each([
    ["a literal app database URL", { database: { app: { url: "postgres://app:secret@db/app" } } }, "/database/app': additional properties 'url' not allowed"],
    ["a literal owner password", { database: { owner: { password: "hunter2" } } }, "/database/owner': additional properties 'password' not allowed"],
    ["a misspelt top-level key", { ingres: { enabled: true } }, "additional properties 'ingres' not allowed"],
    ["a misspelt nested key", { api: { replica: 3 } }, "/api': additional properties 'replica' not allowed"],
    ["an HPA minimum below 2", { autoscaling: { minReplicas: 1 } }, "/autoscaling/minReplicas': minimum: got 1, want 2"],
    ["fixed replicas below 2", { autoscaling: { enabled: false }, api: { replicas: 1 } }, "/api/replicas': minimum: got 1, want 2"],
    ["a baseDomain that is not a hostname", { baseDomain: "https://App.example.com/" }, "/baseDomain': 'https://App.example.com/' does not match pattern"],
    ["a single-label baseDomain", { baseDomain: "localhost" }, "/baseDomain': 'localhost' does not match pattern"],
    ["an unknown log level", { config: { logLevel: "verbose" } }, "/config/logLevel'"],
    ["a database URL smuggled through extraEnv", { config: { extraEnv: { DATABASE_URL: "postgres://x" } } }, "invalid propertyName 'DATABASE_URL'"],
    ["a non-string port", { api: { port: "3000" } }, "/api/port': got string, want integer"],
    ["a preStop mode that does not exist", { api: { preStopMode: "wait" } }, "/api/preStopMode'"],
    ["a malformed image digest", { image: { digest: "latest" } }, "/image/digest': 'latest' does not match pattern"],
  ])("%s", async (_name, values, message) => {
    const error = await renderError({ files: MINIMAL, values });
    expect(error).toContain(SCHEMA);
    expect(error).toContain(message);
  });
});

describe("validateValues refuses contradictions with a clear message", () => {
  it("missing baseDomain and secrets, all reported at once", async () => {
    const error = await renderError({});
    expect(error).toContain("switchboard: invalid values:");
    expect(error).toContain("baseDomain is required: set it to the public domain");
    expect(error).toContain("database.app.existingSecret is required");
    expect(error).toContain("database.owner.existingSecret is required for migrations");
  });

  it("both Ingress and HTTPRoute", async () => {
    const error = await renderError({ files: MINIMAL, values: { httpRoute: { enabled: true, parentRefs: [{ name: "gw" }] } } });
    expect(error).toContain("ingress.enabled and httpRoute.enabled are both true: choose one way in");
  });

  it("an HTTPRoute without a Gateway", async () => {
    const error = await renderError({ files: MINIMAL, values: { ingress: { enabled: false }, httpRoute: { enabled: true } } });
    expect(error).toContain("httpRoute.parentRefs is empty");
  });

  it("the API running as the database owner", async () => {
    const same = { existingSecret: "db", secretKey: "uri" };
    const error = await renderError({ files: MINIMAL, values: { database: { app: same, owner: same } } });
    expect(error).toContain("the API must not run as the database owner");
  });

  it("a grace period shorter than preStop plus the SSE drain", async () => {
    const error = await renderError({
      files: MINIMAL,
      values: { api: { preStopSleepSeconds: 10, terminationGracePeriodSeconds: 20 }, config: { shutdownDrainSeconds: 10 } },
    });
    expect(error).toContain("api.terminationGracePeriodSeconds is 20: it must be at least api.preStopSleepSeconds + config.shutdownDrainSeconds + 5 = 25");
  });

  it("an HPA maximum below its minimum", async () => {
    const error = await renderError({ files: MINIMAL, values: { autoscaling: { minReplicas: 4, maxReplicas: 3 } } });
    expect(error).toContain("autoscaling.maxReplicas is below autoscaling.minReplicas");
  });

  it("cert-manager without an issuer or without TLS", async () => {
    const noIssuer = await renderError({ files: MINIMAL, values: { ingress: { certManager: { enabled: true } } } });
    expect(noIssuer).toContain("ingress.certManager.enabled needs ingress.certManager.clusterIssuer");
    const noTls = await renderError({
      files: MINIMAL,
      values: { ingress: { tls: { enabled: false }, certManager: { enabled: true, clusterIssuer: "le" } } },
    });
    expect(noTls).toContain("ingress.certManager.enabled needs ingress.tls.enabled");
  });
});
