// Data lifecycle settings the API reads: where export files live (a shared volume at EXPORTS_DIR, or a bucket through
// EXPORTS_S3_*) in every pod that writes or serves them, and ARCHIVE_GRACE_DAYS.
import { describe, expect, it } from "vitest";
import { FULLNAME, MINIMAL, one, render, renderError } from "./helpers/chart.js";

const mountsOf = (pod: any) => pod.containers[0].volumeMounts.map((m: any) => `${m.name}:${m.mountPath}`);

describe("exports storage", () => {
  it("by default: a kept ReadWriteMany claim mounted at EXPORTS_DIR in the API pods and the worker pods", async () => {
    const objects = await render({ files: MINIMAL, values: { worker: { enabled: true } } });
    const claim = one(objects, "PersistentVolumeClaim", `${FULLNAME}-exports`);
    expect(claim.spec).toEqual({ accessModes: ["ReadWriteMany"], resources: { requests: { storage: "20Gi" } } });
    expect(claim.metadata.annotations).toEqual({ "helm.sh/resource-policy": "keep" });
    expect(one(objects, "ConfigMap").data).toMatchObject({ EXPORTS_DIR: "/var/lib/switchboard/exports" });
    for (const name of [FULLNAME, `${FULLNAME}-worker`]) {
      const pod = one(objects, "Deployment", name).spec.template.spec;
      expect(mountsOf(pod), name).toContain("exports:/var/lib/switchboard/exports");
      expect(pod.volumes, name).toContainEqual({ name: "exports", persistentVolumeClaim: { claimName: `${FULLNAME}-exports` } });
    }
    // The migrations need no exports.
    expect(JSON.stringify(one(objects, "Job"))).not.toContain("exports");
  });

  it("an existing claim, class and path are used as given", async () => {
    const objects = await render({
      files: MINIMAL,
      values: { exports: { volume: { existingClaim: "shared-exports", mountPath: "/data/exports" } } },
    });
    expect(objects.some((o) => o.kind === "PersistentVolumeClaim")).toBe(false);
    const pod = one(objects, "Deployment").spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "exports", persistentVolumeClaim: { claimName: "shared-exports" } });
    expect(one(objects, "ConfigMap").data!.EXPORTS_DIR).toBe("/data/exports");
    const classed = one(await render({ files: MINIMAL, values: { exports: { volume: { storageClass: "nfs", accessMode: "ReadWriteOnce" } } } }), "PersistentVolumeClaim");
    expect(classed.spec).toMatchObject({ storageClassName: "nfs", accessModes: ["ReadWriteOnce"] });
  });

  it("in a bucket: EXPORTS_S3_* from values and the keys from a Secret, no volume, egress to the store", async () => {
    const objects = await render({ files: ["external-db-values.yaml"] });
    expect(objects.some((o) => o.kind === "PersistentVolumeClaim")).toBe(false);
    const data = one(objects, "ConfigMap").data!;
    expect(data).toMatchObject({
      EXPORTS_S3_BUCKET: "calls-example-exports",
      EXPORTS_S3_ENDPOINT: "https://minio.storage.svc:9000",
      EXPORTS_S3_REGION: "eu-west-1",
    });
    expect(data.EXPORTS_DIR).toBeUndefined();
    const api = one(objects, "Deployment").spec.template.spec;
    expect(api.containers[0].env).toEqual(
      expect.arrayContaining([
        { name: "EXPORTS_S3_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "switchboard-exports-s3", key: "access-key-id" } } },
        { name: "EXPORTS_S3_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "switchboard-exports-s3", key: "secret-access-key" } } },
      ]),
    );
    expect(api.volumes.map((v: any) => v.name)).toEqual(["tmp"]);
    expect(JSON.stringify(data)).not.toMatch(/secret-access|access-key/);
    const policy = one(objects, "NetworkPolicy", `${FULLNAME}-object-store`);
    expect(policy.spec.podSelector.matchExpressions[0].values).toEqual(["api", "backup"]);
  });

  it("without keys in a Secret the SDK's default chain (workload identity) is left to work", async () => {
    const objects = await render({ files: MINIMAL, values: { exports: { storage: "s3", s3: { bucket: "exports-bucket" } } } });
    const names = one(objects, "Deployment").spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(names).not.toContain("EXPORTS_S3_ACCESS_KEY_ID");
    expect(one(objects, "ConfigMap").data).toMatchObject({ EXPORTS_S3_BUCKET: "exports-bucket", EXPORTS_S3_REGION: "us-east-1" });
  });

  it("refuses a bucket store without a bucket, and an unknown store", async () => {
    expect(await renderError({ files: MINIMAL, values: { exports: { storage: "s3" } } })).toMatch(/exports.s3.bucket is required with exports.storage=s3/);
    expect(await renderError({ files: MINIMAL, values: { exports: { storage: "ftp" } } })).toMatch(/storage/);
    // The API refuses these at start; the chart refuses them before anything rolls.
    expect(await renderError({ files: MINIMAL, values: { exports: { storage: "s3", s3: { bucket: "Exports_Bucket" } } } })).toMatch(/bucket/);
    expect(await renderError({ files: MINIMAL, values: { exports: { storage: "s3", s3: { bucket: "exports", region: "" } } } })).toMatch(/region/);
    expect(await renderError({ files: MINIMAL, values: { exports: { storage: "s3", s3: { bucket: "exports", endpoint: "minio:9000" } } } })).toMatch(/endpoint/);
  });
});

describe("archive grace", () => {
  it("passes ARCHIVE_GRACE_DAYS (default 30) and refuses values the API would refuse", async () => {
    expect(one(await render({ files: MINIMAL }), "ConfigMap").data!.ARCHIVE_GRACE_DAYS).toBe("30");
    expect(one(await render({ files: ["external-db-values.yaml"] }), "ConfigMap").data!.ARCHIVE_GRACE_DAYS).toBe("14");
    expect(await renderError({ files: MINIMAL, values: { config: { archiveGraceDays: 4000 } } })).toMatch(/archiveGraceDays/);
  });
});
