// Database credentials and migrations: the owner URL reaches only the migration hook, the API gets only the
// app role's URL, both by Secret reference; optional CloudNativePG cluster wiring.
import { describe, expect, it } from "vitest";
import { FULLNAME, type K8sObject, MINIMAL, one, render } from "./helpers/chart.js";

/** Every secretKeyRef in a pod spec, as "name/key" per env var name. */
function secretRefs(podSpec: any): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const c of [...(podSpec.initContainers ?? []), ...podSpec.containers]) {
    for (const env of c.env ?? []) {
      const ref = env.valueFrom?.secretKeyRef;
      if (ref) refs[env.name] = `${ref.name}/${ref.key}`;
    }
    expect(c.envFrom?.some((e: any) => e.secretRef) ?? false, "no whole-secret envFrom").toBe(false);
  }
  return refs;
}

const hooksOf = (job: K8sObject) => job.metadata.annotations ?? {};

describe("migrations hook Job", () => {
  it("runs before install and upgrade, replaces a previous attempt and is cleaned up after success", async () => {
    const objects = await render({ files: MINIMAL });
    const job = one(objects, "Job");
    expect(job.metadata.name).toBe(`${FULLNAME}-migrations`);
    expect(hooksOf(job)).toMatchObject({
      "helm.sh/hook": "pre-install,pre-upgrade",
      "helm.sh/hook-weight": "0",
      "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
    });
    // Its ServiceAccount is a hook too and must exist first: hooks run before the release's objects.
    const account = one(objects, "ServiceAccount", `${FULLNAME}-migrations`);
    expect(account.metadata.annotations).toMatchObject({ "helm.sh/hook": "pre-install,pre-upgrade", "helm.sh/hook-weight": "-1" });
    expect(job.spec.template.spec.serviceAccountName).toBe(`${FULLNAME}-migrations`);
    expect(job.spec.template.spec.restartPolicy).toBe("Never");
    expect(job.spec.template.spec.containers[0].command).toEqual(["node", "apps/api/dist/migrate.mjs"]);
  });

  it("does not read the ConfigMap, which does not exist yet during pre-install", async () => {
    const job = one(await render({ files: MINIMAL }), "Job");
    expect(job.spec.template.spec.containers[0].envFrom).toBeUndefined();
  });

  it("gets the owner URL and the app URL from the named Secrets, the Deployment only the app URL", async () => {
    const objects = await render({ files: MINIMAL });
    expect(secretRefs(one(objects, "Job").spec.template.spec)).toEqual({
      DATABASE_OWNER_URL: "switchboard-db-owner/uri",
      DATABASE_URL: "switchboard-db-app/uri",
      ENCRYPTION_KEY: "switchboard-encryption/key",
    });
    expect(secretRefs(one(objects, "Deployment").spec.template.spec)).toEqual({
      DATABASE_URL: "switchboard-db-app/uri",
      SMTP_URL: "switchboard-smtp/url",
      ENCRYPTION_KEY: "switchboard-encryption/key",
    });
  });

  it("uses the secret keys given in values", async () => {
    const objects = await render({ files: ["default-values.yaml"] });
    expect(secretRefs(one(objects, "Job").spec.template.spec)).toEqual({
      DATABASE_OWNER_URL: "switchboard-database/owner-url",
      DATABASE_URL: "switchboard-database/app-url",
      ENCRYPTION_KEY: "switchboard-encryption/key",
    });
    expect(secretRefs(one(objects, "Deployment").spec.template.spec)).toMatchObject({ DATABASE_URL: "switchboard-database/app-url" });
    expect(secretRefs(one(objects, "Deployment").spec.template.spec).DATABASE_OWNER_URL).toBeUndefined();
  });

  it("no rendered object carries a database URL or a Secret of its own", async () => {
    for (const files of [MINIMAL, ["production-values.yaml"]]) {
      const objects = await render({ files });
      expect(objects.some((o) => o.kind === "Secret")).toBe(false);
      expect(JSON.stringify(objects)).not.toMatch(/postgres(ql)?:\/\//);
    }
  });

  it("can be turned off for databases migrated elsewhere", async () => {
    const objects = await render({
      files: MINIMAL,
      values: { migrations: { enabled: false }, database: { owner: { existingSecret: "" } } },
    });
    expect(objects.some((o) => o.kind === "Job")).toBe(false);
  });
});

describe("CloudNativePG", () => {
  it("creates a Cluster whose generated owner secret feeds the migrations, after the Cluster exists", async () => {
    const objects = await render({
      files: MINIMAL,
      values: { cnpg: { enabled: true }, database: { owner: { existingSecret: "" } } },
    });
    const cluster = one(objects, "Cluster");
    expect(cluster.apiVersion).toBe("postgresql.cnpg.io/v1");
    expect(cluster.metadata.name).toBe(`${FULLNAME}-db`);
    expect(cluster.spec).toMatchObject({
      instances: 3,
      enableSuperuserAccess: false,
      bootstrap: { initdb: { database: "switchboard", owner: "switchboard_owner" } },
      storage: { size: "10Gi" },
    });
    const job = one(objects, "Job");
    expect(secretRefs(job.spec.template.spec).DATABASE_OWNER_URL).toBe(`${FULLNAME}-db-app/uri`);
    // The Cluster is a regular release object: migrations can only run once it exists.
    expect(hooksOf(job)["helm.sh/hook"]).toBe("post-install,pre-upgrade");
    // The API still connects as the separate app role.
    expect(secretRefs(one(objects, "Deployment").spec.template.spec)).toMatchObject({ DATABASE_URL: "switchboard-db-app/uri" });
    expect(secretRefs(one(objects, "Deployment").spec.template.spec).DATABASE_OWNER_URL).toBeUndefined();
  });

  it("the NetworkPolicy then lets pods out to the cluster's pods only", async () => {
    const policy = one(await render({ files: ["production-values.yaml"] }), "NetworkPolicy", FULLNAME);
    expect(policy.spec.egress[1]).toEqual({
      to: [{ podSelector: { matchLabels: { "cnpg.io/cluster": `${FULLNAME}-db` } } }],
      ports: [{ port: 5432, protocol: "TCP" }],
    });
  });
});
