{{/*
Names and labels. Every resource carries the app.kubernetes.io/* recommended labels; the selector
labels (name, instance, component) are the subset that must never change after install.
*/}}

{{- define "sieve.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* "<release>-<chart>", or the release name alone when it already contains the chart name. */}}
{{- define "sieve.fullname" -}}
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

{{- define "sieve.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sieve.labels" -}}
helm.sh/chart: {{ include "sieve.chart" . }}
app.kubernetes.io/name: {{ include "sieve.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sieve
{{- end }}

{{/*
The components of the fleet, in one place. "key" is the component's block in values.yaml,
"tier" its tier name on the wire (empty for the router), "configs" the config files it mounts.
*/}}
{{- define "sieve.components" -}}
- name: router
  key: router
  tier: ""
  configs: [policy, taxonomy, emergingCategories]
- name: url-service
  key: urlService
  tier: url
  configs: [taxonomy]
- name: content-service
  key: contentService
  tier: content
  configs: [taxonomy]
- name: llm-fallback-service
  key: llmFallbackService
  tier: llm
  configs: [taxonomy, emergingCategories]
{{- end }}

{{/* The components deployed by this release: the router always, each tier when enabled. */}}
{{- define "sieve.enabledComponents" -}}
{{- $enabled := list }}
{{- range $c := include "sieve.components" . | fromYamlArray }}
{{- if or (eq $c.name "router") (index $.Values $c.key).enabled }}
{{- $enabled = append $enabled $c }}
{{- end }}
{{- end }}
{{- /* The candidate version of a tier (#15): a component of its own (Deployment, Services, PDB,
NetworkPolicy, Certificate) over the tier's values block, image and ports, named <tier service>-candidate. */}}
{{- if .Values.candidate.enabled }}
{{- range $c := include "sieve.components" . | fromYamlArray }}
{{- if and $c.tier (eq $c.tier $.Values.candidate.tier) }}
{{- $enabled = append $enabled (dict "name" (printf "%s-candidate" $c.name) "key" $c.key "tier" $c.tier "configs" $c.configs "candidate" true "image" $c.name) }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $enabled }}
{{- end }}

{{/*
The config files, keyed like config.* in values.yaml: ConfigMap name suffix, file name, and the
environment variable that tells the service where the file is.
*/}}
{{- define "sieve.configFiles" -}}
policy:
  suffix: policy
  file: policy.yaml
  env: SIEVE_POLICY_FILE
taxonomy:
  suffix: taxonomy
  file: taxonomy.yaml
  env: SIEVE_TAXONOMY_FILE
emergingCategories:
  suffix: emerging-categories
  file: emerging-categories.yaml
  env: SIEVE_EMERGING_CATEGORIES_FILE
{{- end }}

{{/* Directory the config files are mounted in. */}}
{{- define "sieve.configDir" -}}/etc/sieve{{- end }}

{{/* Directory DJL (and its ONNX Runtime / tokenizer native libraries) unpacks into. */}}
{{- define "sieve.djlCacheDir" -}}/var/cache/djl{{- end }}

{{/*
Component-scoped helpers take a dict: root (the top-level context), c (the component entry
from sieve.components) and v (the component's values).
Suffixed names cut the release part to 33 characters so that "<release>-llm-fallback-service-headless" still
fits the 63-character DNS label limit.
*/}}
{{- define "sieve.componentName" -}}
{{- include "sieve.prefixedName" (dict "root" .root "suffix" .c.name) }}
{{- end }}

{{/* "<fullname>-<suffix>" for names with a suffix; takes a dict: root, suffix. */}}
{{- define "sieve.prefixedName" -}}
{{- printf "%s-%s" (include "sieve.fullname" .root | trunc 33 | trimSuffix "-") .suffix }}
{{- end }}

{{- define "sieve.headlessServiceName" -}}
{{- printf "%s-headless" (include "sieve.componentName" .) }}
{{- end }}

{{- define "sieve.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sieve.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .c.name }}
{{- end }}

{{- define "sieve.componentLabels" -}}
{{ include "sieve.labels" .root }}
app.kubernetes.io/component: {{ .c.name }}
{{- end }}

{{- define "sieve.image" -}}
{{- $g := .root.Values.image }}
{{- $repository := .v.image.repository | default (printf "%s/%s%s" $g.registry $g.repositoryPrefix (.c.image | default .c.name)) }}
{{- $tag := .v.image.tag | default $g.tag | default .root.Chart.AppVersion }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}

{{/* The component's lifecycle settings: its own keys over the global ones. */}}
{{- define "sieve.lifecycle" -}}
{{- toYaml (merge (deepCopy (.v.lifecycle | default dict)) (deepCopy .root.Values.lifecycle)) }}
{{- end }}

{{- define "sieve.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sieve.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Secret holding the LLM API key: the operator's existing one, or the chart's. */}}
{{- define "sieve.llmSecretName" -}}
{{- if .Values.llm.existingSecret }}
{{- .Values.llm.existingSecret }}
{{- else }}
{{- include "sieve.prefixedName" (dict "root" . "suffix" "llm") }}
{{- end }}
{{- end }}

{{- define "sieve.llmSecretKey" -}}
{{- if .Values.llm.existingSecret }}{{ .Values.llm.existingSecretKey }}{{ else }}api-key{{ end }}
{{- end }}

{{/* True (non-empty) when the LLM tier gets SIEVE_LLM_API_KEY from a Secret. */}}
{{- define "sieve.llmKeyConfigured" -}}
{{- if or .Values.llm.existingSecret .Values.llm.apiKey }}true{{ end }}
{{- end }}

{{/* The chart-managed Secret (rendered only when llm.apiKey is set). */}}
{{- define "sieve.llmSecret" -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "sieve.llmSecretName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "sieve.labels" . | nindent 4 }}
type: Opaque
data:
  api-key: {{ .Values.llm.apiKey | b64enc | quote }}
{{- end }}

{{/*
Transport security. Each component's Secret (tls.crt, tls.key, ca.crt) is mounted at
sieve.tlsDir; it is a separate volume beside the read-only config volume, not inside it.
*/}}
{{- define "sieve.tlsDir" -}}/etc/sieve-tls{{- end }}
{{- define "sieve.clientCaDir" -}}/etc/sieve-client-ca{{- end }}
{{- define "sieve.clientAuthDir" -}}/etc/sieve-client-auth{{- end }}

{{/* The component's TLS Secret; takes a dict: root, c, v. */}}
{{- define "sieve.tlsSecretName" -}}
{{- $configured := index .root.Values.tls.secrets .c.key | default "" }}
{{- if $configured }}{{ $configured }}{{ else }}{{ include "sieve.prefixedName" (dict "root" .root "suffix" (printf "%s-tls" .c.name)) }}{{ end }}
{{- end }}

{{/* The identity the tiers allow: the router certificate's common name. */}}
{{- define "sieve.routerIdentity" -}}
{{- .Values.tls.routerIdentity | default (include "sieve.componentName" (dict "root" . "c" (dict "name" "router"))) }}
{{- end }}

{{/*
DNS names a component's certificate must carry: its Services (short, namespaced and cluster-local
forms). The router reaches tiers as dns:///<tier>-headless:<port>, so the short headless name is
what the router verifies.
*/}}
{{- define "sieve.certificateDnsNames" -}}
{{- $ns := .root.Release.Namespace }}
{{- $names := list }}
{{- $services := list (include "sieve.headlessServiceName" .) }}
{{- if eq .c.name "router" }}
{{- $services = prepend $services (include "sieve.componentName" .) }}
{{- end }}
{{- range $svc := $services }}
{{- $names = concat $names (list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns)) }}
{{- end }}
{{- if eq .c.name "router" }}
{{- $names = concat $names .root.Values.tls.certManager.extraDnsNames }}
{{- end }}
{{- toYaml $names }}
{{- end }}

{{/* Secret holding the router's client-auth file: the operator's, or the chart's. */}}
{{- define "sieve.clientAuthSecretName" -}}
{{- .Values.clientAuth.existingSecret | default (include "sieve.prefixedName" (dict "root" . "suffix" "client-auth")) }}
{{- end }}

{{- define "sieve.clientAuthSecretKey" -}}
{{- if .Values.clientAuth.existingSecret }}{{ .Values.clientAuth.existingSecretKey }}{{ else }}clients.yaml{{ end }}
{{- end }}

{{/* The port of llm.url: explicit, else 443 for https and 80 for http. */}}
{{- define "sieve.llmPort" -}}
{{- $u := urlParse .Values.llm.url }}
{{- $hostPort := splitList ":" $u.host }}
{{- if gt (len $hostPort) 1 }}{{ last $hostPort }}{{ else if eq $u.scheme "https" }}443{{ else }}80{{ end }}
{{- end }}

{{/* One config ConfigMap; takes a dict: root, key (policy | taxonomy | emergingCategories). */}}
{{- define "sieve.configMap" -}}
{{- $f := index (include "sieve.configFiles" .root | fromYaml) .key }}
{{- $raw := index .root.Values.config.files .key }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "sieve.prefixedName" (dict "root" .root "suffix" $f.suffix) }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "sieve.labels" .root | nindent 4 }}
data:
  {{ $f.file }}: |
    {{- if $raw }}
    {{- $raw | nindent 4 }}
    {{- else }}
    {{- toYaml (index .root.Values.config .key) | nindent 4 }}
    {{- end }}
{{- end }}

{{/*
Render-time checks that values.schema.json cannot express (they relate two fields).
*/}}
{{- define "sieve.validate" -}}
{{- if .Values.candidate.enabled }}
{{- $tierKey := get (dict "url" "urlService" "content" "contentService" "llm" "llmFallbackService") (toString .Values.candidate.tier) }}
{{- if not $tierKey }}
{{- fail (printf "candidate.tier must be url, content or llm, got %q" (toString .Values.candidate.tier)) }}
{{- end }}
{{- if not (index .Values $tierKey).enabled }}
{{- fail (printf "candidate.tier %s: the serving %s is not enabled; a candidate runs beside it" .Values.candidate.tier $tierKey) }}
{{- end }}
{{- if not .Values.candidate.modelDir }}
{{- fail "candidate.modelDir is required: the model version directory the candidate serves (e.g. /app/models/content-minilm-mlp/<version>)" }}
{{- end }}
{{- end }}
{{- if and .Values.llm.apiKey .Values.llm.existingSecret }}
{{- fail "llm: set either llm.apiKey or llm.existingSecret, not both" }}
{{- end }}
{{- if and .Values.clientAuth.existingSecret .Values.clientAuth.tenants }}
{{- fail "clientAuth: set either clientAuth.tenants or clientAuth.existingSecret, not both" }}
{{- end }}
{{- if and .Values.llmFallbackService.enabled .Values.llm.url }}
{{- $u := urlParse .Values.llm.url }}
{{- if not (has $u.scheme (list "http" "https")) }}
{{- fail (printf "llm.url must be http(s)://..., got %q" .Values.llm.url) }}
{{- end }}
{{- $host := first (splitList ":" $u.host) }}
{{- if and (eq $u.scheme "http") (include "sieve.llmKeyConfigured" .) (not .Values.llm.allowInsecureHttp) (not (has $host (list "localhost" "127.0.0.1"))) }}
{{- fail (printf "llm.url %s is plaintext http and an API key is configured: the key would cross the network in the clear (the service refuses it). Use an https:// endpoint, or set llm.allowInsecureHttp=true for a network you trust" .Values.llm.url) }}
{{- end }}
{{- if and .Values.networkPolicy.enabled .Values.networkPolicy.egress.enabled (empty .Values.networkPolicy.egress.llm) }}
{{- fail "networkPolicy.egress.llm must list the peers of the LLM endpoint (llm.url), e.g. its namespace or an ipBlock: egress of llm-fallback-service is restricted to DNS and that endpoint" }}
{{- end }}
{{- end }}
{{- if and .Values.networkPolicy.enabled (empty .Values.networkPolicy.routerClients) }}
{{- fail "networkPolicy.routerClients must list at least one peer while networkPolicy.enabled (a rule without peers would admit every source); set the filtering stack selectors or disable networkPolicy" }}
{{- end }}
{{- range $c := include "sieve.enabledComponents" . | fromYamlArray }}
{{- $v := index $.Values $c.key }}
{{- $ctx := dict "root" $ "c" $c "v" $v }}
{{- if and $v.autoscaling.enabled (gt (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas)) }}
{{- fail (printf "%s.autoscaling: minReplicas (%d) must not exceed maxReplicas (%d)" $c.key (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas)) }}
{{- end }}
{{- $lc := include "sieve.lifecycle" $ctx | fromYaml }}
{{- $needed := add $lc.preStopSleepSeconds $lc.drainTimeoutSeconds }}
{{- if le (int $lc.terminationGracePeriodSeconds) (int $needed) }}
{{- fail (printf "%s: terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds + drainTimeoutSeconds (%d), or in-flight calls are killed mid-drain" $c.key (int $lc.terminationGracePeriodSeconds) (int $needed)) }}
{{- end }}
{{- end }}
{{- end }}
