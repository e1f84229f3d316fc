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
{{- if $errors -}}
{{- fail (printf "\n\nswitchboard: invalid values:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
