// Render the chart with helm and hand back parsed objects. Every test goes through here.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { chartDir, ensureHelm, runHelm } from "../../../../scripts/helm.mjs";

export const RELEASE = "sb";
export const NAMESPACE = "switchboard";
export const FULLNAME = "sb-switchboard";

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export interface RenderOptions {
  /** Files under ci/, e.g. "minimal-values.yaml". */
  files?: string[];
  /** Values merged last (written to a temp file: JSON is YAML). */
  values?: Record<string, unknown>;
}

export const ciFile = (name: string): string => join(chartDir, "ci", name);

let scratch: string | undefined;
function valuesFile(values: Record<string, unknown>): string {
  scratch ??= mkdtempSync(join(tmpdir(), "switchboard-chart-"));
  const file = join(scratch, `values-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(values));
  return file;
}

function args(command: string, options: RenderOptions): string[] {
  const list = [command];
  if (command === "template") list.push(RELEASE, chartDir, "--namespace", NAMESPACE);
  else list.push(chartDir);
  for (const f of options.files ?? []) list.push("-f", ciFile(f));
  if (options.values) list.push("-f", valuesFile(options.values));
  return list;
}

/** `helm template`; throws with helm's stderr when rendering fails. */
export async function render(options: RenderOptions = {}): Promise<K8sObject[]> {
  const helm = await ensureHelm();
  const result = runHelm(helm, args("template", options));
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`unparsable YAML from helm: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

/** `helm template` expected to fail: returns helm's error output. */
export async function renderError(options: RenderOptions): Promise<string> {
  const helm = await ensureHelm();
  const result = runHelm(helm, args("template", options));
  if (result.status === 0) throw new Error("helm template succeeded but the values should have been refused");
  return result.stderr;
}

/** `helm lint --strict` with the given values. */
export async function lint(options: RenderOptions): Promise<{ status: number; output: string }> {
  const helm = await ensureHelm();
  const result = runHelm(helm, [...args("lint", options), "--strict", "--namespace", NAMESPACE]);
  return { status: result.status, output: result.stdout + result.stderr };
}

/** The one object of a kind (optionally with a name), failing clearly when absent or ambiguous. */
export function one(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}${name ? ` named ${name}` : ""}, found ${found.length}`);
  }
  return found[0]!;
}

export const kinds = (objects: K8sObject[]): string[] => objects.map((o) => o.kind).sort();

/** Minimal values every install needs (the same as ci/minimal-values.yaml), to add overrides to. */
export const MINIMAL = ["minimal-values.yaml"];
