// Strict structural schemas for the custom resources the chart can render.
//
// They are subsets of the upstream CRDs (field names, types, enums and patterns copied from prometheus-operator
// monitoring.coreos.com/v1 ServiceMonitor and PrometheusRule, Gateway API v1 HTTPRoute and CloudNativePG
// postgresql.cnpg.io/v1 Cluster and ScheduledBackup), closed with additionalProperties: false so a misspelt or
// invented field fails here instead of being pruned by the API server. A field the chart starts to use must be added here,
// after checking it against the upstream CRD.

type Schema = Record<string, unknown>;

const closed = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: "object",
  additionalProperties: false,
  properties,
  ...(required.length ? { required } : {}),
});
const str: Schema = { type: "string" };
const int: Schema = { type: "integer" };
const bool: Schema = { type: "boolean" };
const stringMap: Schema = { type: "object", additionalProperties: { type: "string" } };
const anyObject: Schema = { type: "object" };

const metadata = closed({ name: str, namespace: str, labels: stringMap, annotations: stringMap }, ["name"]);
const labelSelector = closed({
  matchLabels: stringMap,
  matchExpressions: {
    type: "array",
    items: closed(
      {
        key: str,
        operator: { enum: ["In", "NotIn", "Exists", "DoesNotExist"] },
        values: { type: "array", items: str },
      },
      ["key", "operator"],
    ),
  },
});
// Prometheus durations, as in the CRD: e.g. 30s, 1m30s.
const promDuration: Schema = { type: "string", pattern: "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$" };
// Gateway API durations (GEP-2257).
const gatewayDuration: Schema = { type: "string", pattern: "^([0-9]{1,5}(h|m|s|ms)){1,4}$" };
const gatewayHostname: Schema = {
  type: "string",
  maxLength: 253,
  pattern: "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
};
const quantity: Schema = { type: ["string", "number"] };
const resources = closed({
  requests: { type: "object", additionalProperties: quantity },
  limits: { type: "object", additionalProperties: quantity },
});

const serviceMonitor = closed(
  {
    apiVersion: { const: "monitoring.coreos.com/v1" },
    kind: { const: "ServiceMonitor" },
    metadata,
    spec: closed(
      {
        jobLabel: str,
        targetLabels: { type: "array", items: str },
        podTargetLabels: { type: "array", items: str },
        sampleLimit: int,
        selector: labelSelector,
        namespaceSelector: closed({ any: bool, matchNames: { type: "array", items: str } }),
        endpoints: {
          type: "array",
          minItems: 1,
          items: closed({
            port: str,
            targetPort: { type: ["string", "integer"] },
            path: str,
            scheme: { enum: ["http", "https", "HTTP", "HTTPS"] },
            params: anyObject,
            interval: promDuration,
            scrapeTimeout: promDuration,
            honorLabels: bool,
            honorTimestamps: bool,
            relabelings: { type: "array", items: anyObject },
            metricRelabelings: { type: "array", items: anyObject },
            tlsConfig: anyObject,
          }),
        },
      },
      ["selector"],
    ),
  },
  ["apiVersion", "kind", "metadata", "spec"],
);

const httpRoute = closed(
  {
    apiVersion: { const: "gateway.networking.k8s.io/v1" },
    kind: { const: "HTTPRoute" },
    metadata,
    spec: closed({
      parentRefs: {
        type: "array",
        maxItems: 32,
        items: closed(
          {
            group: str,
            kind: str,
            namespace: str,
            name: { type: "string", minLength: 1, maxLength: 253 },
            sectionName: str,
            port: { type: "integer", minimum: 1, maximum: 65535 },
          },
          ["name"],
        ),
      },
      hostnames: { type: "array", maxItems: 16, items: gatewayHostname },
      rules: {
        type: "array",
        maxItems: 16,
        items: closed({
          name: str,
          matches: {
            type: "array",
            items: closed({
              path: closed({ type: { enum: ["Exact", "PathPrefix", "RegularExpression"] }, value: str }),
              headers: { type: "array", items: anyObject },
              queryParams: { type: "array", items: anyObject },
              method: str,
            }),
          },
          filters: { type: "array", items: anyObject },
          backendRefs: {
            type: "array",
            items: closed(
              {
                group: str,
                kind: str,
                name: { type: "string", minLength: 1 },
                namespace: str,
                port: { type: "integer", minimum: 1, maximum: 65535 },
                weight: int,
                filters: { type: "array", items: anyObject },
              },
              ["name"],
            ),
          },
          timeouts: closed({ request: gatewayDuration, backendRequest: gatewayDuration }),
        }),
      },
    }),
  },
  ["apiVersion", "kind", "metadata", "spec"],
);

// CloudNativePG's in-tree Barman Cloud object store (BarmanObjectStoreConfiguration), the S3 parts the chart renders.
const secretKeySelector = closed({ name: str, key: str }, ["name", "key"]);
const barmanObjectStore = closed(
  {
    destinationPath: { type: "string", minLength: 1 },
    endpointURL: str,
    endpointCA: secretKeySelector,
    serverName: str,
    s3Credentials: closed({
      accessKeyId: secretKeySelector,
      secretAccessKey: secretKeySelector,
      region: secretKeySelector,
      sessionToken: secretKeySelector,
      inheritFromIAMRole: bool,
    }),
    wal: closed({
      compression: { enum: ["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"] },
      encryption: { enum: ["AES256", "aws:kms"] },
      maxParallel: int,
    }),
    data: closed({
      compression: { enum: ["bzip2", "gzip", "lz4", "snappy"] },
      encryption: { enum: ["AES256", "aws:kms"] },
      immediateCheckpoint: bool,
      jobs: int,
    }),
    tags: stringMap,
    historyTags: stringMap,
  },
  ["destinationPath"],
);

const cnpgCluster = closed(
  {
    apiVersion: { const: "postgresql.cnpg.io/v1" },
    kind: { const: "Cluster" },
    metadata,
    spec: closed(
      {
        description: str,
        instances: { type: "integer", minimum: 1 },
        imageName: str,
        enableSuperuserAccess: bool,
        primaryUpdateStrategy: { enum: ["unsupervised", "supervised"] },
        bootstrap: closed({
          initdb: closed({
            database: str,
            owner: str,
            secret: closed({ name: str }, ["name"]),
            encoding: str,
            localeCollate: str,
            localeCType: str,
            postInitApplicationSQL: { type: "array", items: str },
          }),
          recovery: closed({
            source: str,
            database: str,
            owner: str,
            secret: closed({ name: str }, ["name"]),
            backup: closed({ name: str }, ["name"]),
            recoveryTarget: closed({
              backupID: str,
              exclusive: bool,
              targetImmediate: bool,
              targetLSN: str,
              targetName: str,
              targetTLI: str,
              targetTime: str,
              targetXID: str,
            }),
          }),
        }),
        backup: closed({
          barmanObjectStore,
          retentionPolicy: { type: "string", pattern: "^[1-9][0-9]*[dwm]$" },
          target: { enum: ["primary", "prefer-standby"] },
        }),
        externalClusters: {
          type: "array",
          items: closed({ name: str, barmanObjectStore, connectionParameters: stringMap }, ["name"]),
        },
        storage: closed({
          size: str,
          storageClass: str,
          resizeInUseVolumes: bool,
          pvcTemplate: anyObject,
        }),
        walStorage: anyObject,
        resources,
        affinity: anyObject,
        postgresql: closed({ parameters: stringMap, pg_hba: { type: "array", items: str } }),
        monitoring: closed({
          enablePodMonitor: bool,
          customQueriesConfigMap: { type: "array", items: anyObject },
          customQueriesSecret: { type: "array", items: anyObject },
          disableDefaultQueries: bool,
        }),
      },
      ["instances"],
    ),
  },
  ["apiVersion", "kind", "metadata", "spec"],
);

const scheduledBackup = closed(
  {
    apiVersion: { const: "postgresql.cnpg.io/v1" },
    kind: { const: "ScheduledBackup" },
    metadata,
    spec: closed(
      {
        cluster: closed({ name: str }, ["name"]),
        schedule: str,
        immediate: bool,
        suspend: bool,
        method: { enum: ["barmanObjectStore", "volumeSnapshot", "plugin"] },
        backupOwnerReference: { enum: ["none", "self", "cluster"] },
        target: { enum: ["primary", "prefer-standby"] },
        online: bool,
      },
      ["cluster", "schedule"],
    ),
  },
  ["apiVersion", "kind", "metadata", "spec"],
);

// prometheus-operator monitoring.coreos.com/v1 PrometheusRule: alerting rules only (the chart records nothing).
const prometheusRule = closed(
  {
    apiVersion: { const: "monitoring.coreos.com/v1" },
    kind: { const: "PrometheusRule" },
    metadata,
    spec: closed({
      groups: {
        type: "array",
        items: closed(
          {
            name: { type: "string", minLength: 1 },
            interval: promDuration,
            limit: int,
            partial_response_strategy: str,
            labels: stringMap,
            rules: {
              type: "array",
              items: closed(
                {
                  alert: str,
                  record: str,
                  expr: { type: ["string", "integer"] },
                  for: promDuration,
                  keep_firing_for: promDuration,
                  labels: stringMap,
                  annotations: stringMap,
                },
                ["expr"],
              ),
            },
          },
          ["name"],
        ),
      },
    }),
  },
  ["apiVersion", "kind", "metadata", "spec"],
);

/** Keyed by `<apiVersion>/<kind>`. */
export const crdSchemas: Record<string, Schema> = {
  "monitoring.coreos.com/v1/ServiceMonitor": serviceMonitor,
  "gateway.networking.k8s.io/v1/HTTPRoute": httpRoute,
  "postgresql.cnpg.io/v1/Cluster": cnpgCluster,
  "postgresql.cnpg.io/v1/ScheduledBackup": scheduledBackup,
  "monitoring.coreos.com/v1/PrometheusRule": prometheusRule,
};
