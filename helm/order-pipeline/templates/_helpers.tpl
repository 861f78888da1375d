{{/*
The three services: name -> values key and port. The ports are the services'
own defaults (the env schema in each app); the chart sets PORT to the same value.
*/}}
{{- define "order-pipeline.services" -}}
orders-api:
  key: ordersApi
  port: 3000
payments:
  key: payments
  port: 3001
shipments:
  key: shipments
  port: 3002
analytics:
  key: analytics
  port: 3003
inventory:
  key: inventory
  port: 3004
{{- end }}

{{/* How long a service drains after SIGTERM (libs/bootstrap run-service). */}}
{{- define "order-pipeline.drainSeconds" -}}20{{- end }}

{{- define "order-pipeline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "order-pipeline.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one service's objects: <fullname>-<service>, at most 63 characters. */}}
{{- define "order-pipeline.componentName" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- printf "%s-%s" (include "order-pipeline.fullname" $root | trunc (int (sub 62 (len $component)))) $component | trimSuffix "-" }}
{{- end }}

{{- define "order-pipeline.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "order-pipeline.labels" -}}
helm.sh/chart: {{ include "order-pipeline.chart" . }}
{{ include "order-pipeline.selectorLabels" . }}
app.kubernetes.io/version: {{ include "order-pipeline.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: order-pipeline
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "order-pipeline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "order-pipeline.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component: (list $root "orders-api"). */}}
{{- define "order-pipeline.componentLabels" -}}
{{ include "order-pipeline.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "order-pipeline.componentSelectorLabels" -}}
{{ include "order-pipeline.selectorLabels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "order-pipeline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "order-pipeline.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "order-pipeline.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{- define "order-pipeline.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (include "order-pipeline.imageTag" .) }}
{{- end }}
{{- end }}

{{/*
Full name of a bundled dependency, as that chart computes it:
(list $root "nats" .Values.nats).
*/}}
{{- define "order-pipeline.dependencyFullname" -}}
{{- $root := index . 0 }}
{{- $chart := index . 1 }}
{{- $values := index . 2 }}
{{- if $values.fullnameOverride }}
{{- $values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default $chart $values.nameOverride }}
{{- if contains $name $root.Release.Name }}
{{- $root.Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" $root.Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Secret the chart creates when externalDatabase.url is given. */}}
{{- define "order-pipeline.databaseSecretName" -}}
{{- include "order-pipeline.componentName" (list . "database") }}
{{- end }}

{{/* NATS_URL as a plain value, or empty when it comes from a Secret. */}}
{{- define "order-pipeline.natsUrl" -}}
{{- if .Values.nats.enabled }}
{{- printf "nats://%s:4222" (include "order-pipeline.dependencyFullname" (list . "nats" .Values.nats)) }}
{{- else if not .Values.externalNats.existingSecret }}
{{- .Values.externalNats.url }}
{{- end }}
{{- end }}

{{/*
DATABASE_URL, always from a Secret: the bundled chart's password, the chart's
own Secret (externalDatabase.url) or an existing one. Services and migration job.
*/}}
{{- define "order-pipeline.databaseEnv" -}}
{{- if .Values.postgresql.enabled }}
{{- $pg := include "order-pipeline.dependencyFullname" (list . "postgresql" .Values.postgresql) }}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ default $pg .Values.postgresql.auth.existingSecret }}
      key: password
- name: DATABASE_URL
  value: {{ printf "postgresql://%s:$(DATABASE_PASSWORD)@%s:5432/%s" .Values.postgresql.auth.username $pg .Values.postgresql.auth.database | quote }}
{{- else if .Values.externalDatabase.url }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "order-pipeline.databaseSecretName" . }}
      key: DATABASE_URL
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.externalDatabase.existingSecret }}
      key: {{ .Values.externalDatabase.existingSecretKey }}
{{- end }}
{{- end }}

{{/* Secret with the services' NATS passwords: the chart's own (natsCredentials.passwords) or an existing one. */}}
{{- define "order-pipeline.natsCredentialsSecretName" -}}
{{- if .Values.natsCredentials.passwords }}
{{- include "order-pipeline.componentName" (list . "nats-credentials") }}
{{- else }}
{{- .Values.natsCredentials.existingSecret }}
{{- end }}
{{- end }}

{{/*
One service's NATS settings that are not in the common ConfigMap: NATS_URL
when it comes from a Secret, and the service's own user, its password from
the Secret's key named after the service: (list $root "payments").
*/}}
{{- define "order-pipeline.natsEnv" -}}
{{- $root := index . 0 }}
{{- $name := index . 1 }}
{{- if and (not $root.Values.nats.enabled) $root.Values.externalNats.existingSecret }}
- name: NATS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.externalNats.existingSecret }}
      key: {{ $root.Values.externalNats.existingSecretKey }}
{{- end }}
{{- if $root.Values.natsCredentials.enabled }}
- name: NATS_USER
  value: {{ $name | quote }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "order-pipeline.natsCredentialsSecretName" $root }}
      key: {{ $name }}
{{- end }}
{{- end }}

{{/* Secret with orders-api's API_KEYS: the chart's own (ordersApi.apiKeys.keys) or an existing one. */}}
{{- define "order-pipeline.apiKeysSecretName" -}}
{{- if .Values.ordersApi.apiKeys.keys }}
{{- include "order-pipeline.componentName" (list . "api-keys") }}
{{- else }}
{{- .Values.ordersApi.apiKeys.existingSecret }}
{{- end }}
{{- end }}

{{/* orders-api's API keys (API_KEYS), from the Secret. */}}
{{- define "order-pipeline.apiKeysEnv" -}}
- name: API_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "order-pipeline.apiKeysSecretName" . }}
      key: {{ if .Values.ordersApi.apiKeys.keys }}API_KEYS{{ else }}{{ .Values.ordersApi.apiKeys.existingSecretKey }}{{ end }}
{{- end }}

{{/* Pod-level pieces shared by the services, the migration job and the test pod. */}}
{{- define "order-pipeline.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}

{{- define "order-pipeline.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/*
Checks across values that a JSON schema cannot say clearly. Each failure
names the value to change.
*/}}
{{- define "order-pipeline.validate" -}}
{{- if and (not .Values.postgresql.enabled) (not .Values.externalDatabase.url) (not .Values.externalDatabase.existingSecret) }}
{{- fail "\n\nNo PostgreSQL: set externalDatabase.existingSecret (a Secret with the connection URL), externalDatabase.url, or postgresql.enabled=true." }}
{{- end }}
{{- if and (not .Values.nats.enabled) (not .Values.externalNats.url) (not .Values.externalNats.existingSecret) }}
{{- fail "\n\nNo NATS: set externalNats.url, externalNats.existingSecret, or nats.enabled=true." }}
{{- end }}
{{- if .Values.natsCredentials.enabled }}
{{- if .Values.natsCredentials.passwords }}
{{- $missing := list }}
{{- range $name, $meta := include "order-pipeline.services" . | fromYaml }}
{{- if not (hasKey $.Values.natsCredentials.passwords $name) }}
{{- $missing = append $missing $name }}
{{- end }}
{{- end }}
{{- if $missing }}
{{- fail (printf "\n\nnatsCredentials.passwords has no password for %s: give one per service (keyed by its name), or none and natsCredentials.existingSecret." (join ", " $missing)) }}
{{- end }}
{{- else if not .Values.natsCredentials.existingSecret }}
{{- fail "\n\nNo NATS passwords: set natsCredentials.existingSecret (a Secret with one key per service), natsCredentials.passwords, or natsCredentials.enabled=false for a NATS server without authentication." }}
{{- end }}
{{- end }}
{{- if and (not .Values.ordersApi.apiKeys.keys) (not .Values.ordersApi.apiKeys.existingSecret) }}
{{- fail "\n\nNo API keys for orders-api: set ordersApi.apiKeys.existingSecret (a Secret with API_KEYS, a JSON array of {name, key, scopes}) or ordersApi.apiKeys.keys." }}
{{- end }}
{{- $minimumGrace := add (int .Values.preStopSleepSeconds) (int (include "order-pipeline.drainSeconds" .)) }}
{{- if le (int .Values.terminationGracePeriodSeconds) $minimumGrace }}
{{- fail (printf "\n\nterminationGracePeriodSeconds (%d) must be longer than preStopSleepSeconds (%d) plus the services' drain time (%s s): set it above %d." (int .Values.terminationGracePeriodSeconds) (int .Values.preStopSleepSeconds) (include "order-pipeline.drainSeconds" .) $minimumGrace) }}
{{- end }}
{{- range $name, $meta := include "order-pipeline.services" . | fromYaml }}
{{- $svc := index $.Values $meta.key }}
{{- if and $svc.autoscaling.enabled (gt (int $svc.autoscaling.minReplicas) (int $svc.autoscaling.maxReplicas)) }}
{{- fail (printf "\n\n%s.autoscaling.minReplicas (%d) is greater than %s.autoscaling.maxReplicas (%d)." $meta.key (int $svc.autoscaling.minReplicas) $meta.key (int $svc.autoscaling.maxReplicas)) }}
{{- end }}
{{- $pdb := $svc.podDisruptionBudget }}
{{- if and $pdb.enabled (eq (kindIs "invalid" $pdb.maxUnavailable) (kindIs "invalid" $pdb.minAvailable)) }}
{{- fail (printf "\n\n%s.podDisruptionBudget: set exactly one of maxUnavailable and minAvailable (the other null)." $meta.key) }}
{{- end }}
{{- end }}
{{- if and .Values.ordersApi.ingress.enabled (not .Values.ordersApi.ingress.hosts) }}
{{- fail "\n\nordersApi.ingress.enabled=true needs at least one entry in ordersApi.ingress.hosts." }}
{{- end }}
{{- end }}
