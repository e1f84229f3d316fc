// Background jobs and mail in the chart: the SMTP and encryption-key secrets, the optional worker Deployment
// (the API pods then stop running jobs), SMTP egress for exactly the pods that send mail, and trustProxy, which
// has no default and refuses "trust everyone".
import { describe, expect, it } from "vitest";
import { FULLNAME, type K8sObject, MINIMAL, one, render, renderError } from "./helpers/chart.js";

const envOf = (deployment: K8sObject) => deployment.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: any }[];
const envValue = (deployment: K8sObject, name: string) => envOf(deployment).find((e) => e.name === name);

describe("mail and the encryption key", () => {
  it("come from the named Secrets, never from values, on the API and the migrations Job", async () => {
    const objects = await render({ files: MINIMAL });
    const api = one(objects, "Deployment", FULLNAME);
    expect(envValue(api, "SMTP_URL")!.valueFrom).toEqual({ secretKeyRef: { name: "switchboard-smtp", key: "url" } });
    expect(envValue(api, "ENCRYPTION_KEY")!.valueFrom).toEqual({ secretKeyRef: { name: "switchboard-encryption", key: "key" } });
    const migrate = one(objects, "Job").spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: any }[];
    expect(migrate.find((e) => e.name === "ENCRYPTION_KEY")!.valueFrom.secretKeyRef.name).toBe("switchboard-encryption");
    expect(migrate.find((e) => e.name === "WORKER")!.value).toBe("false");
    expect(migrate.find((e) => e.name === "SMTP_URL")).toBeUndefined();
    const config = one(objects, "ConfigMap").data!;
    expect(config.MAIL_SEND_TIMEOUT_SECONDS).toBe("60");
    expect(config.MAIL_FROM).toBeUndefined();
    expect(JSON.stringify(config)).not.toMatch(/smtp:|ENCRYPTION/);
  });

  it("MAIL_FROM is passed when set", async () => {
    const config = one(await render({ files: MINIMAL, values: { mail: { from: "Acme <support@acme.example>" } } }), "ConfigMap").data!;
    expect(config.MAIL_FROM).toBe("Acme <support@acme.example>");
  });

  it("are required, each with a message that says what to create", async () => {
    const error = await renderError({
      files: MINIMAL,
      values: { mail: { smtp: { existingSecret: "" } }, encryption: { existingSecret: "" } },
    });
    expect(error).toContain("mail.smtp.existingSecret is required: name an existing Secret whose key mail.smtp.secretKey holds the SMTP URL");
    expect(error).toContain("encryption.existingSecret is required");
  });

  it("refuse a literal SMTP URL or sender that is not an address", async () => {
    const literal = await renderError({ files: MINIMAL, values: { mail: { smtp: { url: "smtp://u:p@h" } } } });
    expect(literal).toContain("/mail/smtp': additional properties 'url' not allowed");
    const from = await renderError({ files: MINIMAL, values: { mail: { from: "not an address" } } });
    expect(from).toContain("/mail/from'");
  });
});

describe("the worker", () => {
  it("runs inside every API pod by default", async () => {
    const objects = await render({ files: MINIMAL });
    expect(objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name)).toEqual([FULLNAME]);
    expect(envValue(one(objects, "Deployment", FULLNAME), "WORKER")!.value).toBe("true");
  });

  it("as its own Deployment takes the jobs over: API pods get WORKER=false, no Service selects the worker", async () => {
    const objects = await render({ files: MINIMAL, values: { worker: { enabled: true, replicas: 3 } } });
    const api = one(objects, "Deployment", FULLNAME);
    const worker = one(objects, "Deployment", `${FULLNAME}-worker`);
    expect(envValue(api, "WORKER")!.value).toBe("false");
    expect(envValue(worker, "WORKER")!.value).toBe("true");
    expect(worker.spec.replicas).toBe(3);
    expect(worker.spec.selector.matchLabels["app.kubernetes.io/component"]).toBe("worker");
    for (const name of ["DATABASE_URL", "SMTP_URL", "ENCRYPTION_KEY"]) expect(envValue(worker, name)!.valueFrom.secretKeyRef).toEqual(envValue(api, name)!.valueFrom.secretKeyRef);
    const service = one(objects, "Service");
    expect(service.spec.selector["app.kubernetes.io/component"]).toBe("api");
    expect(worker.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe("/readyz");
    // The HPA and PDB keep scaling and protecting the API only.
    expect(one(objects, "HorizontalPodAutoscaler").spec.scaleTargetRef.name).toBe(FULLNAME);
  });

  it("must be given time to finish running jobs on shutdown", async () => {
    const error = await renderError({ files: MINIMAL, values: { worker: { enabled: true, terminationGracePeriodSeconds: 10 }, config: { shutdownDrainSeconds: 10 } } });
    expect(error).toContain("worker.terminationGracePeriodSeconds is 10: it must be at least config.shutdownDrainSeconds + 7 = 17");
  });
});

describe("NetworkPolicy", () => {
  it("is on by default, and only the pods that send mail may reach SMTP ports", async () => {
    const inline = await render({ files: MINIMAL });
    const smtp = one(inline, "NetworkPolicy", `${FULLNAME}-smtp`);
    expect(smtp.spec.podSelector.matchLabels["app.kubernetes.io/component"]).toBe("api");
    expect(smtp.spec.policyTypes).toEqual(["Egress"]);
    expect(smtp.spec.egress).toEqual([{ ports: [25, 465, 587].map((port) => ({ port, protocol: "TCP" })) }]);
    expect(one(inline, "NetworkPolicy", FULLNAME).spec.egress.flatMap((r: any) => r.ports.map((p: any) => p.port))).not.toContain(587);

    const split = await render({ files: MINIMAL, values: { worker: { enabled: true }, networkPolicy: { smtpPorts: [465], smtpCIDRs: ["192.0.2.10/32"] } } });
    const workerSmtp = one(split, "NetworkPolicy", `${FULLNAME}-smtp`);
    expect(workerSmtp.spec.podSelector.matchLabels["app.kubernetes.io/component"]).toBe("worker");
    expect(workerSmtp.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: "192.0.2.10/32" } }], ports: [{ port: 465, protocol: "TCP" }] }]);
  });

  it("can be turned off for clusters whose CNI does not enforce it", async () => {
    const objects = await render({ files: MINIMAL, values: { networkPolicy: { enabled: false } } });
    expect(objects.some((o) => o.kind === "NetworkPolicy")).toBe(false);
  });
});

describe("trustProxy", () => {
  it("has no default: an install with an Ingress must name the ingress controller's addresses", async () => {
    const error = await renderError({ files: MINIMAL, values: { config: { trustProxy: "" } } });
    expect(error).toContain("config.trustProxy is required with an Ingress or HTTPRoute: name the addresses your ingress controller's pods connect from");
  });

  it("refuses trusting every address, hop counts and `true`", async () => {
    const everyone = await renderError({ files: MINIMAL, values: { config: { trustProxy: "10.244.0.0/16, 0.0.0.0/0" } } });
    expect(everyone).toContain("config.trustProxy contains 0.0.0.0/0: that trusts every address");
    for (const bad of ["1", "true", "ingress-nginx"]) {
      expect(await renderError({ files: MINIMAL, values: { config: { trustProxy: bad } } })).toContain("/config/trustProxy'");
    }
  });

  it("passes the named addresses to the API", async () => {
    const config = one(await render({ files: MINIMAL, values: { config: { trustProxy: "10.244.1.7, 10.244.2.0/24" } } }), "ConfigMap").data!;
    expect(config.TRUST_PROXY).toBe("10.244.1.7, 10.244.2.0/24");
  });
});

describe("AI replies", () => {
  it("AI_API_KEY comes from the named Secret only when one is named; the other AI settings from the ConfigMap", async () => {
    const plain = await render({ files: MINIMAL });
    expect(envValue(one(plain, "Deployment", FULLNAME), "AI_API_KEY")).toBeUndefined();
    const config = one(plain, "ConfigMap").data!;
    expect(config.AI_BASE_URL).toBeUndefined(); // production default: no provider until one is chosen
    expect([config.AI_MODEL, config.AI_TIMEOUT_SECONDS]).toEqual(["gpt-4o-mini", "30"]);

    const objects = await render({
      files: MINIMAL,
      values: { worker: { enabled: true }, ai: { baseUrl: "http://vllm.ai.svc:8000/v1", model: "meta-llama/Llama-3.1-8B-Instruct", apiKey: { existingSecret: "switchboard-ai" } } },
    });
    for (const name of [FULLNAME, `${FULLNAME}-worker`]) {
      expect(envValue(one(objects, "Deployment", name), "AI_API_KEY")!.valueFrom).toEqual({ secretKeyRef: { name: "switchboard-ai", key: "api-key" } });
    }
    const data = one(objects, "ConfigMap").data!;
    expect([data.AI_BASE_URL, data.AI_MODEL]).toEqual(["http://vllm.ai.svc:8000/v1", "meta-llama/Llama-3.1-8B-Instruct"]);
    expect(JSON.stringify(data)).not.toContain("switchboard-ai");
  });

  it("refuses a literal key, a base URL that is not http(s) or echo, and a timeout out of range", async () => {
    expect(await renderError({ files: MINIMAL, values: { ai: { apiKey: { value: "sk-1" } } } })).toContain("/ai/apiKey': additional properties 'value' not allowed");
    expect(await renderError({ files: MINIMAL, values: { ai: { baseUrl: "ftp://x" } } })).toContain("/ai/baseUrl'");
    expect(await renderError({ files: MINIMAL, values: { ai: { timeoutSeconds: 0 } } })).toContain("/ai/timeoutSeconds'");
  });

  it("the pods that run the worker may reach AI providers on the AI ports", async () => {
    const objects = await render({ files: MINIMAL, values: { worker: { enabled: true }, networkPolicy: { aiPorts: [443, 8000], aiCIDRs: ["10.96.0.0/12"] } } });
    const policy = one(objects, "NetworkPolicy", `${FULLNAME}-ai`);
    expect(policy.spec.podSelector.matchLabels["app.kubernetes.io/component"]).toBe("worker");
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: "10.96.0.0/12" } }], ports: [{ port: 443, protocol: "TCP" }, { port: 8000, protocol: "TCP" }] }]);
  });
});
