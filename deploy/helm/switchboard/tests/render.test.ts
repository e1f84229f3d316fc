// Render the chart for each ci values file and the main switches, and validate every object against the
// Kubernetes schemas, refusing unknown fields (helpers/validate.ts).
import { describe, expect, it } from "vitest";
import { type K8sObject, kinds, MINIMAL, render } from "./helpers/chart.js";
import { unknownFields, validateObject } from "./helpers/validate.js";

async function expectAllValid(objects: K8sObject[]): Promise<void> {
  const problems: string[] = [];
  for (const obj of objects) {
    for (const p of await validateObject(obj)) problems.push(`${obj.kind}/${obj.metadata.name}: ${p}`);
  }
  expect(problems).toEqual([]);
  const ids = objects.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.name}`);
  expect(new Set(ids).size, "duplicate objects").toBe(ids.length);
}

describe("rendering", () => {
  it("minimal values render the API, its routing, the migration hook, the NetworkPolicies and the exports volume, all valid", async () => {
    const objects = await render({ files: ["minimal-values.yaml"] });
    expect(kinds(objects)).toEqual([
      "ConfigMap",
      "Deployment",
      "HorizontalPodAutoscaler",
      "Ingress",
      "Job",
      "NetworkPolicy",
      "NetworkPolicy",
      "NetworkPolicy",
      "PersistentVolumeClaim",
      "PodDisruptionBudget",
      "Service",
      "ServiceAccount",
      "ServiceAccount",
    ]);
    await expectAllValid(objects);
  });

  it("default values render and validate", async () => {
    await expectAllValid(await render({ files: ["default-values.yaml"] }));
  });

  it("external-database values add the pg_dump CronJob, exports in a bucket and the alerts, all valid", async () => {
    const objects = await render({ files: ["external-db-values.yaml"] });
    expect(kinds(objects)).toEqual(expect.arrayContaining(["CronJob", "PrometheusRule", "ServiceMonitor"]));
    expect(kinds(objects)).not.toContain("PersistentVolumeClaim");
    await expectAllValid(objects);
  });

  it("production values add cnpg with its backups, NetworkPolicy, ServiceMonitor and alerts, all valid", async () => {
    const objects = await render({ files: ["production-values.yaml"] });
    expect(kinds(objects)).toEqual(
      expect.arrayContaining([
        "Cluster",
        "ScheduledBackup",
        "NetworkPolicy",
        "ServiceMonitor",
        "PrometheusRule",
        "PersistentVolumeClaim",
        "Ingress",
        "HorizontalPodAutoscaler",
      ]),
    );
    expect(kinds(objects)).not.toContain("HTTPRoute");
    await expectAllValid(objects);
  });

  it("the Gateway API variant renders an HTTPRoute instead of the Ingress, valid", async () => {
    const objects = await render({
      files: ["minimal-values.yaml"],
      values: {
        ingress: { enabled: false },
        httpRoute: { enabled: true, parentRefs: [{ name: "public", namespace: "gateway", sectionName: "https" }] },
      },
    });
    expect(kinds(objects)).toContain("HTTPRoute");
    expect(kinds(objects)).not.toContain("Ingress");
    await expectAllValid(objects);
  });

  it("fixed replicas, exec preStop, external DB CIDRs and no TLS still render valid objects", async () => {
    const objects = await render({
      files: ["minimal-values.yaml"],
      values: {
        autoscaling: { enabled: false },
        api: { replicas: 3, preStopMode: "exec" },
        ingress: { tls: { enabled: false }, nginx: { accelBufferingSnippet: true } },
        networkPolicy: { enabled: true, databaseCIDRs: ["10.20.0.0/16"] },
      },
    });
    expect(kinds(objects)).not.toContain("HorizontalPodAutoscaler");
    await expectAllValid(objects);
  });
});

describe("the validator itself", () => {
  // A validator that accepts everything would make every test above pass: prove it refuses.
  it("refuses an unknown field deep in a pod template", async () => {
    const [deployment] = (await render({ files: ["minimal-values.yaml"] })).filter((o) => o.kind === "Deployment");
    const broken = structuredClone(deployment!);
    broken.spec.template.spec.containers[0].readinessprobe = { httpGet: { path: "/readyz", port: "http" } };
    broken.spec.template.spec.securityContext.runAsNonroot = true;
    expect(unknownFields(broken, "V1Deployment")).toEqual([
      "/spec/template/spec/securityContext/runAsNonroot",
      "/spec/template/spec/containers/0/readinessprobe",
    ]);
    expect((await validateObject(broken)).length).toBe(2);
  });

  it("refuses a wrong type through kubernetes-models", async () => {
    const [service] = (await render({ files: ["minimal-values.yaml"] })).filter((o) => o.kind === "Service");
    const broken = structuredClone(service!);
    broken.spec.ports[0].port = "eighty";
    expect((await validateObject(broken)).join("\n")).toMatch(/port/);
  });

  it("refuses an unknown field in a custom resource", async () => {
    const objects = await render({ files: ["production-values.yaml"] });
    const monitor = structuredClone(objects.find((o) => o.kind === "ServiceMonitor")!);
    monitor.spec.endpoints[0].scrapeInterval = "30s";
    expect((await validateObject(monitor)).join("\n")).toMatch(/additionalProperty.*scrapeInterval/);
    const cluster = structuredClone(objects.find((o) => o.kind === "Cluster")!);
    cluster.spec.replicas = 3;
    expect((await validateObject(cluster)).join("\n")).toMatch(/replicas/);
  });

  it("refuses a kind it has no schema for", async () => {
    const errors = await validateObject({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } });
    expect(errors).toEqual(["no schema known for example.com/v1/Widget: add one to tests/helpers/validate.ts"]);
  });
});

describe("settings ConfigMap", () => {
  it("passes the session and live-event settings the API reads, with the API's defaults", async () => {
    const config = (await render({ files: MINIMAL })).find((o) => o.kind === "ConfigMap")!;
    expect(config.data).toMatchObject({
      SESSION_IDLE_TIMEOUT_SECONDS: "1800",
      SESSION_ABSOLUTE_LIFETIME_SECONDS: "43200",
      SESSION_CACHE_SECONDS: "5",
      SSE_MAX_STREAMS_PER_USER: "5",
      SSE_RECHECK_SECONDS: "10",
    });
  });
});
