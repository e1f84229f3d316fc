// The chart documents itself: every value has a `# --` description, the README's table is generated from them,
// and the schema is closed wherever a typo could hide.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { chartDir, ensureHelm, runHelm } from "../../../scripts/helm.mjs";
import { readmeWithTable, valuesTable } from "../../../scripts/values-table.mjs";

const schema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8"));
const values = parse(readFileSync(join(chartDir, "values.yaml"), "utf8"));

/** JSON pointers of object schemas that declare properties but accept any other key. */
function openObjects(node: any, path: string): string[] {
  if (!node || typeof node !== "object") return [];
  const here = node.properties && node.additionalProperties !== false ? [path] : [];
  return [
    ...here,
    ...Object.entries(node).flatMap(([k, v]) => (typeof v === "object" ? openObjects(v, `${path}/${k}`) : [])),
  ];
}

/** Dotted paths of values.yaml keys down to the level the schema describes. */
function undeclaredKeys(value: any, node: any, path: string): string[] {
  if (node?.$ref) node = schema.definitions[node.$ref.split("/").pop()];
  if (!node?.properties || value === null || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    node.properties[k] ? undeclaredKeys(v, node.properties[k], `${path}${k}.`) : [`${path}${k}`],
  );
}

describe("chart documentation", () => {
  it("the README's values table is generated from values.yaml (run scripts/values-table.mjs --write)", () => {
    const readme = readFileSync(join(chartDir, "README.md"), "utf8");
    expect(readme).toBe(readmeWithTable(readme));
  });

  it("every value is documented", () => {
    expect(() => valuesTable()).not.toThrow();
    expect(valuesTable()).toContain("| `database.app.existingSecret` |");
  });

  it("values.schema.json is closed everywhere it lists properties", () => {
    expect(openObjects(schema, "#").filter((p) => p !== "#/properties/global")).toEqual([]);
  });

  it("every key in values.yaml is declared in the schema", () => {
    expect(undeclaredKeys(values, schema, "")).toEqual([]);
  });
});

describe("install-time output", () => {
  it("NOTES tell the operator the hosts, the secrets in use and how to debug the migration hook", async () => {
    const helm = await ensureHelm();
    const values = join(chartDir, "ci", "minimal-values.yaml");
    const result = runHelm(helm, ["install", "--dry-run=client", "sb", chartDir, "-n", "switchboard", "-f", values]);
    expect(result.status, result.stderr).toBe(0);
    const notes = result.stdout.slice(result.stdout.indexOf("NOTES:"));
    expect(notes).toContain("https://app.example.com");
    expect(notes).toContain("https://<tenant-slug>.app.example.com");
    expect(notes).toContain('secret "switchboard-db-owner", key "uri"');
    expect(notes).toContain("kubectl -n switchboard logs job/sb-switchboard-migrations");
    // Where exports go, and that this install backs nothing up.
    expect(notes).toContain('exports        volume at /var/lib/switchboard/exports (claim "sb-switchboard-exports", ReadWriteMany)');
    expect(notes).toContain("backups        NONE from this chart");
  });

  it("NOTES name the backups when the chart runs them", async () => {
    const helm = await ensureHelm();
    const values = join(chartDir, "ci", "external-db-values.yaml");
    const result = runHelm(helm, ["install", "--dry-run=client", "sb", chartDir, "-n", "switchboard", "-f", values]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("kubectl -n switchboard create job --from=cronjob/sb-switchboard-pg-dump sb-switchboard-pg-dump-now");
    expect(result.stdout).not.toContain("NONE from this chart");
  });

  it("refuses clusters older than 1.30 (the preStop sleep action)", async () => {
    const helm = await ensureHelm();
    const values = join(chartDir, "ci", "minimal-values.yaml");
    const result = runHelm(helm, ["template", "sb", chartDir, "-f", values, "--kube-version", "1.29.0"]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("chart requires kubeVersion: >=1.30.0-0");
  });
});
