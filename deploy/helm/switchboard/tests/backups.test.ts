// Backups: CloudNativePG's continuous backup to an object store (Cluster spec.backup + ScheduledBackup), recovery of a
// new Cluster from it, and the pg_dump CronJob for an external database (to a volume or a bucket).
import { describe, expect, it } from "vitest";
import { FULLNAME, type K8sObject, MINIMAL, one, render, renderError } from "./helpers/chart.js";

const CNPG = { cnpg: { enabled: true }, database: { owner: { existingSecret: "" } } };
const store = { destinationPath: "s3://backups/switchboard", s3Credentials: { existingSecret: "backup-s3" } };

describe("CloudNativePG backups", () => {
  it("archive WAL and base backups to the object store with retention, and schedule base backups", async () => {
    const objects = await render({
      files: MINIMAL,
      values: { ...CNPG, cnpg: { enabled: true, backup: { enabled: true, ...store, endpointURL: "https://minio.storage:9000", retentionPolicy: "14d" } } },
    });
    const cluster = one(objects, "Cluster");
    expect(cluster.spec.backup).toEqual({
      target: "prefer-standby",
      retentionPolicy: "14d",
      barmanObjectStore: {
        destinationPath: "s3://backups/switchboard",
        endpointURL: "https://minio.storage:9000",
        s3Credentials: {
          accessKeyId: { name: "backup-s3", key: "ACCESS_KEY_ID" },
          secretAccessKey: { name: "backup-s3", key: "ACCESS_SECRET_KEY" },
        },
        serverName: `${FULLNAME}-db`,
        wal: { compression: "gzip" },
        data: { compression: "gzip" },
      },
    });
    expect(cluster.spec.bootstrap).toEqual({ initdb: { database: "switchboard", owner: "switchboard_owner" } });
    const scheduled = one(objects, "ScheduledBackup");
    expect(scheduled.spec).toEqual({
      cluster: { name: `${FULLNAME}-db` },
      schedule: "0 0 3 * * *",
      immediate: true,
      method: "barmanObjectStore",
      backupOwnerReference: "self",
    });
  });

  it("take the region from the Secret, or the pods' IAM role instead of keys, and can leave scheduling to you", async () => {
    const region = one(
      await render({ files: MINIMAL, values: { ...CNPG, cnpg: { enabled: true, backup: { enabled: true, ...store, s3Credentials: { existingSecret: "s", regionKey: "REGION" } } } } }),
      "Cluster",
    );
    expect(region.spec.backup.barmanObjectStore.s3Credentials.region).toEqual({ name: "s", key: "REGION" });
    const objects = await render({
      files: MINIMAL,
      values: {
        ...CNPG,
        cnpg: { enabled: true, backup: { enabled: true, destinationPath: "s3://b/p", s3Credentials: { inheritFromIAMRole: true }, scheduled: { enabled: false } } },
      },
    });
    expect(one(objects, "Cluster").spec.backup.barmanObjectStore.s3Credentials).toEqual({ inheritFromIAMRole: true });
    expect(objects.some((o) => o.kind === "ScheduledBackup")).toBe(false);
  });

  it("are off by default: no backup section, no ScheduledBackup", async () => {
    const objects = await render({ files: MINIMAL, values: CNPG });
    expect(one(objects, "Cluster").spec.backup).toBeUndefined();
    expect(objects.some((o) => o.kind === "ScheduledBackup")).toBe(false);
  });

  it("recovery bootstraps a new Cluster from the old one's folder up to a point in time, archiving into a new folder", async () => {
    const objects = await render({
      files: MINIMAL,
      values: {
        ...CNPG,
        cnpg: {
          enabled: true,
          backup: { enabled: true, ...store, serverName: `${FULLNAME}-db-r1` },
          recovery: { enabled: true, sourceServerName: `${FULLNAME}-db`, targetTime: "2026-12-01T09:30:00Z" },
        },
      },
    });
    const cluster = one(objects, "Cluster");
    expect(cluster.spec.bootstrap).toEqual({
      recovery: {
        source: "origin",
        database: "switchboard",
        owner: "switchboard_owner",
        recoveryTarget: { targetTime: "2026-12-01T09:30:00Z" },
      },
    });
    expect(cluster.spec.externalClusters).toEqual([
      {
        name: "origin",
        barmanObjectStore: {
          destinationPath: "s3://backups/switchboard",
          s3Credentials: {
            accessKeyId: { name: "backup-s3", key: "ACCESS_KEY_ID" },
            secretAccessKey: { name: "backup-s3", key: "ACCESS_SECRET_KEY" },
          },
          serverName: `${FULLNAME}-db`,
          wal: { maxParallel: 8 },
        },
      },
    ]);
    expect(cluster.spec.backup.barmanObjectStore.serverName).toBe(`${FULLNAME}-db-r1`);
  });

  it("refuses incomplete or self-defeating settings with a clear message", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ cnpg: { backup: { enabled: true, ...store } } }, /cnpg.backup.enabled needs cnpg.enabled/],
      [{ ...CNPG, cnpg: { enabled: true, backup: { enabled: true, s3Credentials: { existingSecret: "s" } } } }, /cnpg.backup.destinationPath is required/],
      [{ ...CNPG, cnpg: { enabled: true, backup: { enabled: true, destinationPath: "s3://b/p" } } }, /cnpg.backup.s3Credentials.existingSecret is required/],
      [{ ...CNPG, cnpg: { enabled: true, backup: store, recovery: { enabled: true } } }, /cnpg.recovery.sourceServerName is required/],
      // The recovered cluster would archive over the backups it came from.
      [
        { ...CNPG, cnpg: { enabled: true, backup: { enabled: true, ...store }, recovery: { enabled: true, sourceServerName: `${FULLNAME}-db` } } },
        /would archive over the backups it came from\. Set cnpg.backup.serverName/,
      ],
      [{ cnpg: { recovery: { enabled: true, sourceServerName: "old" } } }, /cnpg.recovery.enabled needs cnpg.enabled/],
      [{ ...CNPG, cnpg: { enabled: true, backup: { enabled: true, ...store, retentionPolicy: "30 days" } } }, /retentionPolicy/],
      [{ ...CNPG, cnpg: { enabled: true, backup: { enabled: true, ...store, scheduled: { schedule: "0 3 * * *" } } } }, /schedule/],
    ];
    for (const [values, message] of cases) {
      expect(await renderError({ files: MINIMAL, values }), JSON.stringify(values)).toMatch(message);
    }
  });
});

function container(job: K8sObject, name: string): any {
  const pod = job.spec.jobTemplate.spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === name);
}

describe("pg_dump CronJob", () => {
  const dump = { enabled: true, database: { existingSecret: "switchboard-db-backup" } };

  it("dumps to its own kept claim on schedule, one at a time, and prunes dumps older than keepDays", async () => {
    const objects = await render({ files: MINIMAL, values: { backup: { pgDump: { ...dump, volume: { keepDays: 7 } } } } });
    const cron = one(objects, "CronJob");
    expect(cron.metadata.name).toBe(`${FULLNAME}-pg-dump`);
    expect(cron.spec).toMatchObject({ schedule: "15 3 * * *", concurrencyPolicy: "Forbid" });
    const claim = one(objects, "PersistentVolumeClaim", `${FULLNAME}-backups`);
    expect(claim.metadata.annotations).toEqual({ "helm.sh/resource-policy": "keep" });
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.volumes[0]).toEqual({ name: "backup", persistentVolumeClaim: { claimName: `${FULLNAME}-backups` } });
    expect(pod.initContainers).toBeUndefined();
    const dumper = container(cron, "pg-dump");
    expect(dumper.image).toBe("postgres:15");
    const script = dumper.args[0] as string;
    expect(script).toContain('pg_dump --format=custom --no-password --file="/backup/$name.partial" --dbname="$DATABASE_URL"');
    // A whole, readable dump gets the final name; only then are old ones pruned.
    expect(script.indexOf("pg_restore --list")).toBeLessThan(script.indexOf('mv "/backup/$name.partial"'));
    expect(script.indexOf('mv "/backup/$name.partial"')).toBeLessThan(script.indexOf("-mtime +7 -print -delete"));
    expect(dumper.env).toContainEqual({ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "switchboard-db-backup", key: "uri" } } });
  });

  it("writes to an existing claim when given one, creating none", async () => {
    const objects = await render({ files: MINIMAL, values: { backup: { pgDump: { ...dump, volume: { existingClaim: "nightly-dumps" } } } } });
    expect(objects.filter((o) => o.kind === "PersistentVolumeClaim").map((o) => o.metadata.name)).toEqual([`${FULLNAME}-exports`]);
    expect(one(objects, "CronJob").spec.jobTemplate.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe("nightly-dumps");
  });

  it("to a bucket: dumps into scratch space, then the AWS CLI uploads it under the prefix; the upload may reach the store", async () => {
    const objects = await render({ files: ["external-db-values.yaml"] });
    const cron = one(objects, "CronJob");
    expect(cron.spec.timeZone).toBe("Europe/Berlin");
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(["pg-dump"]);
    expect(pod.volumes[0]).toEqual({ name: "backup", emptyDir: { sizeLimit: "10Gi" } });
    const upload = container(cron, "upload");
    expect(upload.args).toEqual([
      "s3",
      "cp",
      "--recursive",
      "--no-progress",
      "--endpoint-url=https://minio.storage.svc:9000",
      "/backup/",
      "s3://calls-example-backups/switchboard/nightly/",
    ]);
    expect(upload.env).toContainEqual({ name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "switchboard-backup-s3", key: "secret-access-key" } } });
    expect((container(cron, "pg-dump").args[0] as string)).not.toContain("-delete");
    const policy = one(objects, "NetworkPolicy", `${FULLNAME}-object-store`);
    expect(policy.spec.podSelector.matchExpressions[0].values).toContain("backup");
    expect(policy.spec.egress[0].ports).toEqual([
      { port: 443, protocol: "TCP" },
      { port: 9000, protocol: "TCP" },
    ]);
  });

  it("runs under the restricted Pod Security Standard with a writable /tmp only", async () => {
    const pod = one(await render({ files: ["external-db-values.yaml"] }), "CronJob").spec.jobTemplate.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext, c.name).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      expect(c.volumeMounts.map((m: any) => m.mountPath).sort(), c.name).toEqual(["/backup", "/tmp"]);
    }
  });

  it("is off by default, and refuses a missing database secret or bucket", async () => {
    expect((await render({ files: MINIMAL })).some((o) => o.kind === "CronJob")).toBe(false);
    expect(await renderError({ files: MINIMAL, values: { backup: { pgDump: { enabled: true } } } })).toMatch(
      /backup.pgDump.database.existingSecret is required: .*The owner cannot: the tables FORCE row-level security/,
    );
    expect(await renderError({ files: MINIMAL, values: { backup: { pgDump: { ...dump, destination: "s3" } } } })).toMatch(/backup.pgDump.s3.bucket is required/);
    expect(await renderError({ files: MINIMAL, values: { backup: { pgDump: { ...dump, destination: "s3", s3: { bucket: "dumps" } } } } })).toMatch(
      /backup.pgDump.s3.credentials.existingSecret is required/,
    );
  });
});
