{{/* Names and labels shared by every template. */}}

{{- define "fleetdeck.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "fleetdeck.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "fleetdeck.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "fleetdeck.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "fleetdeck.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetdeck.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "fleetdeck.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "fleetdeck.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "fleetdeck.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fleetdeck.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "fleetdeck.secretName" -}}
{{- if .Values.secrets.create }}
{{- include "fleetdeck.fullname" . }}
{{- else }}
{{- .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{/*
The groups the access policy names, as a JSON list, sorted and unique: `group` bindings as
written, and each `groupPattern` once per tenant in .Values.tenants. The BFF may
impersonate exactly these.
*/}}
{{- define "fleetdeck.policyGroups" -}}
{{- $groups := list }}
{{- range $binding := .Values.accessPolicy.bindings }}
{{- if $binding.group }}
{{- $groups = append $groups $binding.group }}
{{- else if $binding.groupPattern }}
{{- if not $.Values.tenants }}
{{- fail (printf "accessPolicy: the binding with groupPattern %q needs the tenants it expands to; set tenants" $binding.groupPattern) }}
{{- end }}
{{- range $tenant := $.Values.tenants }}
{{- $groups = append $groups (replace "{tenant}" $tenant $binding.groupPattern) }}
{{- end }}
{{- end }}
{{- end }}
{{- $groups | uniq | sortAlpha | toJson }}
{{- end }}

{{/*
The hub sources in effect, as a JSON object {inventory: [...], rollouts: [...]}: the
rollout sources default to the inventory's, as rolloutSources() in bff/src/config/schema.ts.
*/}}
{{- define "fleetdeck.hubSources" -}}
{{- $inventory := list }}
{{- $rollouts := list }}
{{- $gitops := list }}
{{- if eq (.Values.config.mode | default "demo") "real" }}
{{- $configured := (.Values.config.inventory | default dict).sources | default (list "demo") }}
{{- if kindIs "string" $configured }}{{ $configured = splitList "," $configured }}{{ end }}
{{- range $configured }}{{ if has (trim .) (list "kubefleet" "rancher-fleet") }}{{ $inventory = append $inventory (trim .) }}{{ end }}{{ end }}
{{- $rolloutConfig := (.Values.config.rollouts | default dict).sources }}
{{- if kindIs "string" $rolloutConfig }}{{ $rolloutConfig = splitList "," $rolloutConfig }}{{ end }}
{{- range ($rolloutConfig | default $configured) }}{{ if has (trim .) (list "kubefleet" "rancher-fleet" "argocd") }}{{ $rollouts = append $rollouts (trim .) }}{{ end }}{{ end }}
{{- $gitopsConfig := (.Values.config.gitops | default dict).sources }}
{{- if kindIs "string" $gitopsConfig }}{{ $gitopsConfig = splitList "," $gitopsConfig }}{{ end }}
{{- /* Unset: rancher-fleet when the inventory reads Fleet (gitopsSources in bff/src/config/schema.ts). */}}
{{- $gitopsDefault := list }}{{ if has "rancher-fleet" $inventory }}{{ $gitopsDefault = list "rancher-fleet" }}{{ end }}
{{- range ($gitopsConfig | default $gitopsDefault) }}{{ if has (trim .) (list "rancher-fleet" "argocd") }}{{ $gitops = append $gitops (trim .) }}{{ end }}{{ end }}
{{- end }}
{{- dict "inventory" ($inventory | uniq) "rollouts" ($rollouts | uniq) "gitops" ($gitops | uniq) | toJson }}
{{- end }}
