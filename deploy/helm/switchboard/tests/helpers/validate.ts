// Offline schema validation of rendered objects, refusing unknown fields.
//
// Built-in kinds are checked twice:
//  1. kubernetes-models: types, enums, formats and required fields from the Kubernetes OpenAPI schema;
//  2. an unknown-field walk over the attribute maps generated from the same OpenAPI spec and shipped in
//     @kubernetes/client-node (kubernetes-models does not refuse unknown fields; the API server does, and a
//     misspelt field such as `readinessprobe` would otherwise be dropped silently).
// Custom resources (ServiceMonitor, HTTPRoute, cnpg Cluster) are checked against the strict structural
// schemas in crd-schemas.ts, plus kubernetes-models where a model package exists.
//
// Edit this file when the chart renders a new kind: unknown kinds are an error on purpose.
import * as models from "@kubernetes/client-node/dist/gen/models/all.js";
import { Ajv } from "ajv";
import { crdSchemas } from "./crd-schemas.js";
import type { K8sObject } from "./chart.js";

interface Attribute {
  baseName: string;
  type: string;
}
type ModelClass = { attributeTypeMap: Attribute[] };

const modelsByName = models as unknown as Record<string, ModelClass | undefined>;
const LEAF_TYPES = new Set(["string", "number", "boolean", "Date", "V1MicroTime", "IntOrString", "any", "object"]);

/** Paths (JSON pointers) of fields that the Kubernetes type named `type` does not define. */
export function unknownFields(value: unknown, type: string, path = ""): string[] {
  if (value === null || value === undefined || LEAF_TYPES.has(type)) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1]!, `${path}/${i}`)) : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    return typeof value === "object"
      ? Object.entries(value as object).flatMap(([k, v]) => unknownFields(v, map[1]!, `${path}/${k}`))
      : [];
  }
  const model = modelsByName[type];
  if (!model?.attributeTypeMap) throw new Error(`no attribute map for Kubernetes type ${type} at ${path || "/"}`);
  if (typeof value !== "object" || Array.isArray(value)) return []; // wrong shapes are kubernetes-models' job
  const attributes = new Map(model.attributeTypeMap.map((a) => [a.baseName, a.type]));
  return Object.entries(value as object).flatMap(([key, child]) => {
    const childType = attributes.get(key);
    if (childType === undefined) return [`${path}/${key}`];
    return unknownFields(child, childType, `${path}/${key}`);
  });
}

/** client-node model name for an object: apps/v1 Deployment → V1Deployment, autoscaling/v2 → V2HorizontalPodAutoscaler. */
function modelName(obj: K8sObject): string {
  const version = obj.apiVersion.split("/").pop()!;
  return `${version[0]!.toUpperCase()}${version.slice(1)}${obj.kind}`;
}

/** Module path of the kubernetes-models class for a built-in object. */
function kubernetesModelsPath(obj: K8sObject): string {
  return `kubernetes-models/${obj.apiVersion}/${obj.kind}`;
}

const CRD_MODELS: Record<string, string> = {
  "gateway.networking.k8s.io/v1/HTTPRoute": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute",
  "monitoring.coreos.com/v1/ServiceMonitor": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor",
  "monitoring.coreos.com/v1/PrometheusRule": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule",
};

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const crdValidators = new Map(Object.entries(crdSchemas).map(([key, schema]) => [key, ajv.compile(schema)]));

async function validateWithModel(obj: K8sObject, modulePath: string): Promise<string[]> {
  const mod = (await import(modulePath)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = mod[obj.kind];
  if (!Model) return [`${modulePath} exports no ${obj.kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    return [String(error instanceof Error ? error.message : error)];
  }
}

/** Every problem with one rendered object; empty when the API server would accept it. */
export async function validateObject(obj: K8sObject): Promise<string[]> {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const crd = crdValidators.get(key);
  if (crd) {
    const errors = crd(obj)
      ? []
      : (crd.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    const modelPath = CRD_MODELS[key];
    return modelPath ? [...errors, ...(await validateWithModel(obj, modelPath))] : errors;
  }
  const type = modelName(obj);
  if (!modelsByName[type]) return [`no schema known for ${key}: add one to tests/helpers/validate.ts`];
  const unknown = unknownFields(obj, type).map((p) => `unknown field ${p}`);
  return [...unknown, ...(await validateWithModel(obj, kubernetesModelsPath(obj)))];
}
