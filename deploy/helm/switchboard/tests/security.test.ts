// Security and availability defaults of the API Deployment and the migrations Job.
import { beforeAll, describe, expect, it } from "vitest";
import { FULLNAME, type K8sObject, MINIMAL, one, render } from "./helpers/chart.js";

/** Pod Security Standard "restricted", checked on a pod spec the way the admission controller would. */
function expectRestricted(podSpec: any): void {
  expect(podSpec.automountServiceAccountToken).toBe(false);
  expect(podSpec.hostNetwork ?? false).toBe(false);
  expect(podSpec.hostPID ?? false).toBe(false);
  expect(podSpec.securityContext).toMatchObject({
    runAsNonRoot: true,
    runAsUser: 10001,
    seccompProfile: { type: "RuntimeDefault" },
  });
  for (const c of podSpec.containers) {
    expect(c.securityContext, c.name).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.securityContext.capabilities.add ?? [], c.name).toEqual([]);
    // A read-only root needs a writable /tmp, backed by an emptyDir.
    const tmp = c.volumeMounts.find((m: any) => m.mountPath === "/tmp");
    expect(tmp, `${c.name} mounts /tmp`).toBeDefined();
    expect(podSpec.volumes.find((v: any) => v.name === tmp.name).emptyDir).toBeDefined();
  }
}

describe("API Deployment defaults", () => {
  let objects: K8sObject[];
  let deployment: K8sObject;
  let pod: any;
  let api: any;
  beforeAll(async () => {
    objects = await render({ files: MINIMAL });
    deployment = one(objects, "Deployment");
    pod = deployment.spec.template.spec;
    api = pod.containers[0];
  });

  it("runs under the restricted Pod Security Standard with its own ServiceAccount and no token", () => {
    expectRestricted(pod);
    expect(pod.serviceAccountName).toBe(FULLNAME);
    const account = one(objects, "ServiceAccount", FULLNAME);
    expect(account.automountServiceAccountToken).toBe(false);
  });

  it("rolls out without ever dropping below the ready count", () => {
    expect(deployment.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });

  it("leaves the replica count to an autoscaling/v2 HPA with at least 2 replicas", () => {
    expect(deployment.spec.replicas).toBeUndefined();
    const hpa = one(objects, "HorizontalPodAutoscaler");
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: FULLNAME });
  });

  it("is covered by a PodDisruptionBudget selecting exactly the API pods", () => {
    const pdb = one(objects, "PodDisruptionBudget");
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
  });

  it("spreads replicas over nodes and zones", () => {
    const keys = pod.topologySpreadConstraints.map((t: any) => t.topologyKey);
    expect(keys).toEqual(["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);
    for (const t of pod.topologySpreadConstraints) {
      expect(t.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    }
  });

  it("probes /healthz for startup and liveness and /readyz for readiness", () => {
    expect(api.startupProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(api.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(api.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(api.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
  });

  it("waits in preStop, then gives the SSE drain time before SIGKILL", () => {
    const preStop = api.lifecycle.preStop.sleep.seconds as number;
    const config = one(objects, "ConfigMap");
    const drain = Number(config.data!.SHUTDOWN_DRAIN_SECONDS);
    expect(preStop).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + drain);
  });

  it("sets requests and a memory limit", () => {
    expect(api.resources.requests).toEqual({ cpu: "100m", memory: "256Mi" });
    expect(api.resources.limits.memory).toBe("512Mi");
  });

  it("reads settings from the ConfigMap and rolls pods when it changes", async () => {
    expect(api.envFrom).toEqual([{ configMapRef: { name: FULLNAME } }]);
    const checksum = deployment.spec.template.metadata.annotations["checksum/config"];
    expect(checksum).toMatch(/^[a-f0-9]{64}$/);
    const changed = one(await render({ files: MINIMAL, values: { config: { logLevel: "debug" } } }), "Deployment");
    expect(changed.spec.template.metadata.annotations["checksum/config"]).not.toBe(checksum);
  });

  it("passes the documented settings to the API", () => {
    expect(one(objects, "ConfigMap").data).toMatchObject({
      NODE_ENV: "production",
      HOST: "0.0.0.0",
      PORT: "3000",
      BASE_DOMAIN: "app.example.com",
      LOG_LEVEL: "info",
      TRUST_PROXY: "10.244.0.0/16",
      SHUTDOWN_DRAIN_SECONDS: "10",
      DB_POOL_MAX: "10",
    });
  });
});

describe("other shapes of the same guarantees", () => {
  it("fixed replicas without autoscaling keep at least 2 pods and no HPA", async () => {
    const objects = await render({ files: MINIMAL, values: { autoscaling: { enabled: false }, api: { replicas: 3 } } });
    expect(one(objects, "Deployment").spec.replicas).toBe(3);
    expect(objects.some((o) => o.kind === "HorizontalPodAutoscaler")).toBe(false);
  });

  it("exec preStop sleeps with the binary for clusters without the sleep action", async () => {
    const objects = await render({ files: MINIMAL, values: { api: { preStopMode: "exec", preStopSleepSeconds: 7 } } });
    const api = one(objects, "Deployment").spec.template.spec.containers[0];
    expect(api.lifecycle.preStop).toEqual({ exec: { command: ["/bin/sleep", "7"] } });
  });

  it("the migrations Job is restricted too", async () => {
    const objects = await render({ files: MINIMAL });
    const job = one(objects, "Job");
    expectRestricted(job.spec.template.spec);
    expect(one(objects, "ServiceAccount", `${FULLNAME}-migrations`).automountServiceAccountToken).toBe(false);
  });

  it("the production values keep every guarantee while scaling up", async () => {
    const objects = await render({ files: ["production-values.yaml"] });
    const deployment = one(objects, "Deployment", FULLNAME);
    expectRestricted(deployment.spec.template.spec);
    expectRestricted(one(objects, "Deployment", `${FULLNAME}-worker`).spec.template.spec);
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].image).toBe(
      "registry.example.com/switchboard/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    );
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(15 + 20);
    expect(one(objects, "HorizontalPodAutoscaler").spec.minReplicas).toBe(3);
    expect(pod.topologySpreadConstraints[1].whenUnsatisfiable).toBe("DoNotSchedule");
  });
});
