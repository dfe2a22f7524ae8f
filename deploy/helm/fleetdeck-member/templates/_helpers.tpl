{{- define "member.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: fleetdeck-member
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* A tenant's groups for one role: the configured list, else tenant-<name>-<suffix>. */}}
{{- define "member.tenantGroups" -}}
{{- $t := index . 0 }}{{ $key := index . 1 }}{{ $suffix := index . 2 }}
{{- (get $t $key) | default (list (printf "tenant-%s-%s" $t.name $suffix)) | toJson }}
{{- end }}

{{/* Every group this chart binds: the only groups the BFF may impersonate here. */}}
{{- define "member.allGroups" -}}
{{- $groups := concat .Values.platformAdminGroups .Values.viewerGroups }}
{{- range $t := .Values.tenants }}
{{- $groups = concat $groups (include "member.tenantGroups" (list $t "adminGroups" "admins") | fromJsonArray) (include "member.tenantGroups" (list $t "viewerGroups" "viewers") | fromJsonArray) }}
{{- if ne $.Values.environment "production" }}
{{- $groups = concat $groups (include "member.tenantGroups" (list $t "developerGroups" "developers") | fromJsonArray) }}
{{- end }}
{{- end }}
{{- $groups | uniq | sortAlpha | toJson }}
{{- end }}
