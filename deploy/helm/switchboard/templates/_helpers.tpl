{{/*
Names, labels, the values every template derives, and validateValues.
Edit this file when a name or a derived value is needed by more than one template.
*/}}

{{- define "switchboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: <release>-<chart>, or just <release> when the release name already contains the chart name. */}}
{{- define "switchboard.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "switchboard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels shared by every object. */}}
{{- define "switchboard.labels" -}}
helm.sh/chart: {{ include "switchboard.chart" . }}
{{ include "switchboard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: switchboard
{{- end -}}

{{/* Labels that never change over a release's life (Deployment selectors are immutable). */}}
{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "switchboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "switchboard.api.selectorLabels" -}}
{{ include "switchboard.selectorLabels" . }}
app.kubernetes.io/component: api
{{- end -}}

{{- define "switchboard.api.labels" -}}
{{ include "switchboard.labels" . }}
app.kubernetes.io/component: api
{{- end -}}

{{- define "switchboard.worker.selectorLabels" -}}
{{ include "switchboard.selectorLabels" . }}
app.kubernetes.io/component: worker
{{- end -}}

{{- define "switchboard.worker.labels" -}}
{{ include "switchboard.labels" . }}
app.kubernetes.io/component: worker
{{- end -}}

{{/* Secret settings of every pod that runs the app (API and worker): database URL, SMTP URL, encryption key, AI key. */}}
{{- define "switchboard.secretEnv" -}}
# Only the app role's URL: the owner URL is given to the migrations Job alone.
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.app.existingSecret | quote }}
      key: {{ .Values.database.app.secretKey | quote }}
- name: SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.mail.smtp.existingSecret | quote }}
      key: {{ .Values.mail.smtp.secretKey | quote }}
- name: ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.encryption.existingSecret | quote }}
      key: {{ .Values.encryption.secretKey | quote }}
{{- with .Values.ai.apiKey.existingSecret }}
- name: AI_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . | quote }}
      key: {{ $.Values.ai.apiKey.secretKey | quote }}
{{- end }}
{{- if and (eq .Values.exports.storage "s3") .Values.exports.s3.credentials.existingSecret }}
{{- with .Values.exports.s3.credentials }}
- name: EXPORTS_S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .accessKeyIdKey | quote }}
- name: EXPORTS_S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .secretAccessKeyKey | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The exports volume (used when exports.storage is "volume"): the claim, its mount and its pod volume, for the API and the worker. */}}
{{- define "switchboard.exports.claimName" -}}
{{- default (printf "%s-exports" (include "switchboard.fullname" .)) .Values.exports.volume.existingClaim -}}
{{- end -}}

{{- define "switchboard.exports.volumeMount" -}}
- name: exports
  mountPath: {{ .Values.exports.volume.mountPath }}
{{- end -}}

{{- define "switchboard.exports.volume" -}}
- name: exports
  persistentVolumeClaim:
    claimName: {{ include "switchboard.exports.claimName" . }}
{{- end -}}

{{- define "switchboard.backup.labels" -}}
{{ include "switchboard.labels" . }}
app.kubernetes.io/component: backup
{{- end -}}

{{/* The folder a CloudNativePG cluster archives into: cnpg.backup.serverName, else the Cluster's name. */}}
{{- define "switchboard.cnpg.serverName" -}}
{{- default (include "switchboard.cnpg.clusterName" .) .Values.cnpg.backup.serverName -}}
{{- end -}}

{{/* barmanObjectStore fields shared by the Cluster's own backups and the recovery source (no serverName). */}}
{{- define "switchboard.cnpg.objectStore" -}}
{{- $b := .Values.cnpg.backup -}}
destinationPath: {{ $b.destinationPath | quote }}
{{- with $b.endpointURL }}
endpointURL: {{ . | quote }}
{{- end }}
s3Credentials:
  {{- if $b.s3Credentials.inheritFromIAMRole }}
  inheritFromIAMRole: true
  {{- else }}
  accessKeyId:
    name: {{ $b.s3Credentials.existingSecret | quote }}
    key: {{ $b.s3Credentials.accessKeyIdKey | quote }}
  secretAccessKey:
    name: {{ $b.s3Credentials.existingSecret | quote }}
    key: {{ $b.s3Credentials.secretAccessKeyKey | quote }}
  {{- with $b.s3Credentials.regionKey }}
  region:
    name: {{ $b.s3Credentials.existingSecret | quote }}
    key: {{ . | quote }}
  {{- end }}
  {{- end }}
{{- end -}}

{{- define "switchboard.migrations.labels" -}}
{{ include "switchboard.labels" . }}
app.kubernetes.io/component: migrations
{{- end -}}

{{- define "switchboard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "switchboard.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "switchboard.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "switchboard.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "switchboard.fullname" .)) .Values.ingress.tls.secretName -}}
{{- end -}}

{{- define "switchboard.cnpg.clusterName" -}}
{{- printf "%s-db" (include "switchboard.fullname" .) | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{/* Secret holding the owner URL: the explicit one, else the secret CloudNativePG generates for the owner. */}}
{{- define "switchboard.ownerSecretName" -}}
{{- if .Values.database.owner.existingSecret -}}
{{- .Values.database.owner.existingSecret -}}
{{- else if .Values.cnpg.enabled -}}
{{- printf "%s-app" (include "switchboard.cnpg.clusterName" .) -}}
{{- end -}}
{{- end -}}

{{/* When the migrations run: the in-cluster database only exists after a first install's resources. */}}
{{- define "switchboard.migrations.hooks" -}}
{{- if .Values.cnpg.enabled -}}post-install,pre-upgrade{{- else -}}pre-install,pre-upgrade{{- end -}}
{{- end -}}

{{/* Pod-level securityContext meeting the Pod Security Standard "restricted". */}}
{{- define "switchboard.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurity.runAsUser }}
runAsGroup: {{ .Values.podSecurity.runAsGroup }}
fsGroup: {{ .Values.podSecurity.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level securityContext meeting the Pod Security Standard "restricted". */}}
{{- define "switchboard.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurity.runAsUser }}
runAsGroup: {{ .Values.podSecurity.runAsGroup }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Refuse contradictory or incomplete values with one clear message each, before anything renders.
values.schema.json checks shapes and types; this checks what a schema cannot say well (relations between keys).
*/}}
{{- define "switchboard.validateValues" -}}
{{- $errors := list -}}
{{- if not .Values.baseDomain -}}
{{- $errors = append $errors "baseDomain is required: set it to the public domain, e.g. --set baseDomain=app.example.com (tenants are served on *.baseDomain)." -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.httpRoute.enabled -}}
{{- $errors = append $errors "ingress.enabled and httpRoute.enabled are both true: choose one way in (set ingress.enabled=false to use the Gateway API HTTPRoute)." -}}
{{- end -}}
{{- if and .Values.httpRoute.enabled (not .Values.httpRoute.parentRefs) -}}
{{- $errors = append $errors "httpRoute.parentRefs is empty: name the Gateway the HTTPRoute attaches to, e.g. [{name: public, namespace: gateway}]." -}}
{{- end -}}
{{- if not .Values.database.app.existingSecret -}}
{{- $errors = append $errors "database.app.existingSecret is required: name an existing Secret whose key database.app.secretKey holds the app role's PostgreSQL URL (never the owner's)." -}}
{{- end -}}
{{- if and .Values.migrations.enabled (not (include "switchboard.ownerSecretName" .)) -}}
{{- $errors = append $errors "database.owner.existingSecret is required for migrations: name an existing Secret holding the owner's PostgreSQL URL (or enable cnpg, or set migrations.enabled=false)." -}}
{{- end -}}
{{- if and .Values.database.owner.existingSecret (eq .Values.database.owner.existingSecret .Values.database.app.existingSecret) (eq .Values.database.owner.secretKey .Values.database.app.secretKey) -}}
{{- $errors = append $errors "database.app and database.owner point at the same secret key: the API must not run as the database owner (row-level security would not bind it)." -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.minReplicas) 2) -}}
{{- $errors = append $errors (printf "autoscaling.minReplicas is %d: it must be at least 2 so one pod can be replaced while another serves." (int .Values.autoscaling.minReplicas)) -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) -}}
{{- $errors = append $errors "autoscaling.maxReplicas is below autoscaling.minReplicas." -}}
{{- end -}}
{{- if and (not .Values.autoscaling.enabled) (lt (int .Values.api.replicas) 2) -}}
{{- $errors = append $errors (printf "api.replicas is %d: it must be at least 2 (rolling updates with maxUnavailable 0 and the PodDisruptionBudget assume two pods)." (int .Values.api.replicas)) -}}
{{- end -}}
{{- $needed := add (int .Values.api.preStopSleepSeconds) (int .Values.config.shutdownDrainSeconds) 5 -}}
{{- if lt (int .Values.api.terminationGracePeriodSeconds) (int $needed) -}}
{{- $errors = append $errors (printf "api.terminationGracePeriodSeconds is %d: it must be at least api.preStopSleepSeconds + config.shutdownDrainSeconds + 5 = %d, or pods are killed before their streams drain." (int .Values.api.terminationGracePeriodSeconds) (int $needed)) -}}
{{- end -}}
{{- if and .Values.ingress.certManager.enabled (not .Values.ingress.certManager.clusterIssuer) -}}
{{- $errors = append $errors "ingress.certManager.enabled needs ingress.certManager.clusterIssuer (a ClusterIssuer with a DNS-01 solver: wildcard certificates cannot use HTTP-01)." -}}
{{- end -}}
{{- if and .Values.ingress.certManager.enabled (not .Values.ingress.tls.enabled) -}}
{{- $errors = append $errors "ingress.certManager.enabled needs ingress.tls.enabled: cert-manager writes the certificate into the TLS secret." -}}
{{- end -}}
{{- if and (or .Values.ingress.enabled .Values.httpRoute.enabled) (not .Values.config.trustProxy) -}}
{{- $errors = append $errors "config.trustProxy is required with an Ingress or HTTPRoute: name the addresses your ingress controller's pods connect from (e.g. its pod CIDR 10.244.0.0/16); the API believes X-Forwarded-For/-Host from them only." -}}
{{- end -}}
{{- range $entry := splitList "," .Values.config.trustProxy -}}
{{- if has (trim $entry) (list "0.0.0.0/0" "::/0") -}}
{{- $errors = append $errors (printf "config.trustProxy contains %s: that trusts every address, so anyone could forge client addresses and hosts. Name the ingress controller's addresses." (trim $entry)) -}}
{{- end -}}
{{- end -}}
{{- if not .Values.mail.smtp.existingSecret -}}
{{- $errors = append $errors "mail.smtp.existingSecret is required: name an existing Secret whose key mail.smtp.secretKey holds the SMTP URL (smtps://user:pass@smtp.example.com:465). Without mail nobody can verify an address or reset a password." -}}
{{- end -}}
{{- if not .Values.encryption.existingSecret -}}
{{- $errors = append $errors "encryption.existingSecret is required: name an existing Secret whose key encryption.secretKey holds ENCRYPTION_KEY (openssl rand -base64 32)." -}}
{{- end -}}
{{- $workerNeeded := add (int .Values.config.shutdownDrainSeconds) 7 -}}
{{- if and .Values.worker.enabled (lt (int .Values.worker.terminationGracePeriodSeconds) (int $workerNeeded)) -}}
{{- $errors = append $errors (printf "worker.terminationGracePeriodSeconds is %d: it must be at least config.shutdownDrainSeconds + 7 = %d, or running jobs are killed instead of finishing." (int .Values.worker.terminationGracePeriodSeconds) (int $workerNeeded)) -}}
{{- end -}}
{{- if not (has .Values.exports.storage (list "volume" "s3")) -}}
{{- $errors = append $errors "exports.storage must be volume or s3." -}}
{{- end -}}
{{- if and (eq .Values.exports.storage "s3") (not .Values.exports.s3.bucket) -}}
{{- $errors = append $errors "exports.s3.bucket is required with exports.storage=s3: name the bucket export files go to (EXPORTS_S3_BUCKET)." -}}
{{- end -}}
{{- $cnpgBackup := .Values.cnpg.backup -}}
{{- if and $cnpgBackup.enabled (not .Values.cnpg.enabled) -}}
{{- $errors = append $errors "cnpg.backup.enabled needs cnpg.enabled: it configures the in-cluster PostgreSQL's backups. For an external database use backup.pgDump (or your provider's backups)." -}}
{{- end -}}
{{- if and .Values.cnpg.enabled (or $cnpgBackup.enabled .Values.cnpg.recovery.enabled) -}}
{{- if not $cnpgBackup.destinationPath -}}
{{- $errors = append $errors "cnpg.backup.destinationPath is required for CloudNativePG backups and recovery, e.g. s3://switchboard-backups/prod." -}}
{{- end -}}
{{- if and (not $cnpgBackup.s3Credentials.inheritFromIAMRole) (not $cnpgBackup.s3Credentials.existingSecret) -}}
{{- $errors = append $errors "cnpg.backup.s3Credentials.existingSecret is required (a Secret with the object store's keys), or set cnpg.backup.s3Credentials.inheritFromIAMRole=true." -}}
{{- end -}}
{{- end -}}
{{- if and .Values.cnpg.recovery.enabled (not .Values.cnpg.enabled) -}}
{{- $errors = append $errors "cnpg.recovery.enabled needs cnpg.enabled: it bootstraps the in-cluster PostgreSQL from a backup. For an external database restore a pg_dump file with pnpm db:restore (deploy/README.md)." -}}
{{- end -}}
{{- if and .Values.cnpg.enabled .Values.cnpg.recovery.enabled -}}
{{- if not .Values.cnpg.recovery.sourceServerName -}}
{{- $errors = append $errors "cnpg.recovery.sourceServerName is required: the sub-folder (serverName) of the backups to recover, by default the old Cluster's name." -}}
{{- else if eq .Values.cnpg.recovery.sourceServerName (include "switchboard.cnpg.serverName" .) -}}
{{- $errors = append $errors (printf "cnpg.recovery.sourceServerName and this cluster's backup folder are both %q: the recovered cluster would archive over the backups it came from. Set cnpg.backup.serverName to a new name, e.g. %s-r1." .Values.cnpg.recovery.sourceServerName (include "switchboard.cnpg.clusterName" .)) -}}
{{- end -}}
{{- end -}}
{{- $dump := .Values.backup.pgDump -}}
{{- if $dump.enabled -}}
{{- if not $dump.database.existingSecret -}}
{{- $errors = append $errors "backup.pgDump.database.existingSecret is required: a Secret with the URL of a role that can read every row (a superuser, or one with BYPASSRLS in pg_read_all_data). The owner cannot: the tables FORCE row-level security." -}}
{{- end -}}
{{- if and (eq $dump.destination "s3") (not $dump.s3.bucket) -}}
{{- $errors = append $errors "backup.pgDump.s3.bucket is required with backup.pgDump.destination=s3." -}}
{{- end -}}
{{- if and (eq $dump.destination "s3") (not $dump.s3.credentials.existingSecret) -}}
{{- $errors = append $errors "backup.pgDump.s3.credentials.existingSecret is required with backup.pgDump.destination=s3: a Secret with the bucket's access key." -}}
{{- end -}}
{{- end -}}
{{- if and .Values.prometheusRule.enabled (not .Values.serviceMonitor.enabled) -}}
{{- $errors = append $errors "prometheusRule.enabled needs serviceMonitor.enabled: the alerts read the API's /metrics, which only the ServiceMonitor scrapes." -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nswitchboard: invalid values:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
