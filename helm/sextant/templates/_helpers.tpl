{{/* vim: set filetype=mustache: */}}

{{- define "sextant.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sextant.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sextant.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* sextant.labels: dict "root" $ "component" "router" */}}
{{- define "sextant.labels" -}}
helm.sh/chart: {{ include "sextant.chart" .root }}
{{ include "sextant.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: sextant
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "sextant.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sextant.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sextant.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sextant.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* sextant.image: dict "root" $ "image" .Values.images.router -> registry/repository:tag[@digest] */}}
{{- define "sextant.image" -}}
{{- $registry := .image.registry | default .root.Values.image.registry -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- $ref := .image.repository -}}
{{- if $registry -}}{{- $ref = printf "%s/%s" (trimSuffix "/" $registry) $ref -}}{{- end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $ref .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref $tag -}}
{{- end -}}
{{- end -}}

{{- define "sextant.secretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-keys" (include "sextant.fullname" .)) -}}
{{- end -}}

{{- define "sextant.inferenceName" -}}{{ include "sextant.fullname" . }}-inference{{- end -}}
{{- define "sextant.inferenceHeadless" -}}{{ include "sextant.fullname" . }}-inference-headless{{- end -}}
{{- define "sextant.embeddingsName" -}}{{ include "sextant.fullname" . }}-embeddings{{- end -}}
{{- define "sextant.routerName" -}}{{ include "sextant.fullname" . }}-router{{- end -}}
{{- define "sextant.redisName" -}}{{ include "sextant.fullname" . }}-redis{{- end -}}

{{/* The Milvus address: the milvus subchart's Service (same naming as its milvus.fullname), else externalMilvus.uri */}}
{{- define "sextant.milvusUri" -}}
{{- if .Values.milvus.enabled -}}
{{- $name := "milvus" -}}
{{- $full := "" -}}
{{- if .Values.milvus.fullnameOverride -}}
{{- $full = .Values.milvus.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains $name .Release.Name -}}
{{- $full = .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $full = printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- printf "http://%s.%s.svc.%s:19530" $full .Release.Namespace .Values.clusterDomain -}}
{{- else -}}
{{- required "set milvus.enabled=true, or externalMilvus.uri to your Milvus (e.g. http://milvus.db.svc:19530)" .Values.externalMilvus.uri -}}
{{- end -}}
{{- end -}}

{{/* Whether any Redis is configured (built-in or external) */}}
{{- define "sextant.hasRedis" -}}
{{- if or .Values.redis.enabled .Values.externalRedis.url -}}true{{- end -}}
{{- end -}}

{{/*
Env entries that give SEXTANT_REDIS_URL; the password comes from a Secret through REDIS_PASSWORD (not a SEXTANT_*
name, so that it is no configuration key of its own) and Kubernetes' $(VAR) expansion.
*/}}
{{- define "sextant.redisEnv" -}}
{{- if .Values.redis.enabled }}
{{- if .Values.redis.auth.enabled }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.auth.existingSecret | default (printf "%s-keys" (include "sextant.fullname" .)) }}
      key: {{ .Values.redis.auth.existingSecretKey }}
- name: SEXTANT_REDIS_URL
  value: {{ printf "redis://:$(REDIS_PASSWORD)@%s.%s.svc.%s:6379" (include "sextant.redisName" .) .Release.Namespace .Values.clusterDomain | quote }}
{{- else }}
- name: SEXTANT_REDIS_URL
  value: {{ printf "redis://%s.%s.svc.%s:6379" (include "sextant.redisName" .) .Release.Namespace .Values.clusterDomain | quote }}
{{- end }}
{{- else if .Values.externalRedis.url }}
{{- if .Values.externalRedis.passwordSecret.name }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.externalRedis.passwordSecret.name }}
      key: {{ .Values.externalRedis.passwordSecret.key }}
- name: SEXTANT_REDIS_URL
  value: {{ regexReplaceAll "^(rediss?://)" .Values.externalRedis.url "${1}:$$(REDIS_PASSWORD)@" | quote }}
{{- else }}
- name: SEXTANT_REDIS_URL
  value: {{ .Values.externalRedis.url | quote }}
{{- end }}
{{- end }}
{{- if include "sextant.hasRedis" . }}
- name: SEXTANT_REDIS_FAIL_MODE
  value: {{ .Values.redisClient.failMode | quote }}
- name: SEXTANT_REDIS_TIMEOUT
  value: {{ .Values.redisClient.timeout | quote }}
{{- end }}
{{- end -}}

{{/* JVM options: dict "root" $ "jvm" .Values.router.jvm ("maxDirectMemory" optional) */}}
{{- define "sextant.javaOpts" -}}
{{- $opts := list (printf "-XX:MaxRAMPercentage=%v" .jvm.maxRamPercentage) -}}
{{- if .maxDirectMemory -}}{{- $opts = append $opts (printf "-XX:MaxDirectMemorySize=%s" .maxDirectMemory) -}}{{- end -}}
{{- with .root.Values.jvm.extraOpts -}}{{- $opts = append $opts . -}}{{- end -}}
{{- with .jvm.extraOpts -}}{{- $opts = append $opts . -}}{{- end -}}
{{- join " " $opts -}}
{{- end -}}

{{/* Env every sextant JVM container gets: dict "root" $ "jvm" <component jvm values> ["maxDirectMemory" "1280m"] */}}
{{- define "sextant.commonEnv" -}}
- name: JAVA_OPTS
  value: {{ include "sextant.javaOpts" . | quote }}
- name: QUARKUS_HTTP_HOST
  value: "0.0.0.0"
- name: SEXTANT_DATA_DIR
  value: /var/lib/sextant
- name: SEXTANT_LOG_JSON
  value: {{ .root.Values.config.logJson | quote }}
- name: SEXTANT_DEFAULT_TENANT
  value: {{ .root.Values.config.defaultTenant | quote }}
- name: SEXTANT_EMBEDDINGS_MODEL
  value: {{ .root.Values.embeddings.model | quote }}
{{- with .shutdownTimeout }}
# Graceful shutdown: on SIGTERM, finish requests in flight for up to this long (new ones get 503; the router then
# fails over to another replica before any token was sent).
- name: QUARKUS_SHUTDOWN_TIMEOUT
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{/* Internal service key: the router sends it to inference and embeddings, which accept it as their admin key. */}}
{{- define "sextant.internalKeyRef" -}}
valueFrom:
  secretKeyRef:
    name: {{ include "sextant.secretName" . }}
    key: {{ .Values.auth.internalKeyKey }}
{{- end -}}

{{- define "sextant.adminKeyRef" -}}
valueFrom:
  secretKeyRef:
    name: {{ include "sextant.secretName" . }}
    key: {{ .Values.auth.adminKeyKey }}
{{- end -}}

{{/* Env of processes that reach the embeddings service and the store: router, ingestion */}}
{{- define "sextant.retrievalEnv" -}}
- name: SEXTANT_STORE_TYPE
  value: milvus
- name: SEXTANT_STORE_MILVUS_URI
  value: {{ include "sextant.milvusUri" . | quote }}
{{- if .Values.embeddings.enabled }}
- name: SEXTANT_EMBEDDINGS_URL
  value: {{ printf "http://%s.%s.svc.%s:%v" (include "sextant.embeddingsName" .) .Release.Namespace .Values.clusterDomain .Values.embeddings.service.port | quote }}
- name: SEXTANT_EMBEDDINGS_API_KEY
  {{- include "sextant.internalKeyRef" . | nindent 2 }}
- name: SEXTANT_EMBEDDINGS_TIMEOUT
  value: {{ .Values.embeddings.clientTimeout | quote }}
{{- else if .Values.externalEmbeddings.url }}
- name: SEXTANT_EMBEDDINGS_URL
  value: {{ .Values.externalEmbeddings.url | quote }}
{{- if .Values.externalEmbeddings.apiKeySecret.name }}
- name: SEXTANT_EMBEDDINGS_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.externalEmbeddings.apiKeySecret.name }}
      key: {{ .Values.externalEmbeddings.apiKeySecret.key }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Volumes and mounts every sextant JVM container has: writable /tmp and data dir, the config file */}}
{{- define "sextant.baseVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: config
  mountPath: /opt/sextant/config
  readOnly: true
{{- end -}}

{{- define "sextant.baseVolumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
- name: config
  configMap:
    name: {{ include "sextant.fullname" . }}-config
{{- end -}}

{{/* Probes on Quarkus SmallRye Health: dict "root" $ "probes" .Values.router.probes "port" "http" */}}
{{- define "sextant.probes" -}}
startupProbe:
  httpGet:
    path: /q/health/started
    port: http
  periodSeconds: {{ .probes.startup.periodSeconds }}
  timeoutSeconds: {{ .probes.startup.timeoutSeconds }}
  failureThreshold: {{ .probes.startup.failureThreshold }}
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
  periodSeconds: {{ .probes.readiness.periodSeconds }}
  timeoutSeconds: {{ .probes.readiness.timeoutSeconds }}
  failureThreshold: {{ .probes.readiness.failureThreshold }}
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
  periodSeconds: {{ .probes.liveness.periodSeconds }}
  timeoutSeconds: {{ .probes.liveness.timeoutSeconds }}
  failureThreshold: {{ .probes.liveness.failureThreshold }}
{{- end -}}

{{/* Pod-level scheduling and security: dict "root" $ "c" <component values> */}}
{{- define "sextant.podCommon" -}}
serviceAccountName: {{ include "sextant.serviceAccountName" .root }}
automountServiceAccountToken: {{ .root.Values.serviceAccount.automountToken }}
{{- with .root.Values.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .root.Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .c.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .c.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml .c.topologySpreadConstraints | nindent 2 }}
{{- else if and .c.spreadAcrossNodes .component }}
# Replicas on different nodes where possible (soft): one node going away takes one replica.
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "sextant.selectorLabels" (dict "root" .root "component" .component) | nindent 8 }}
{{- end }}
{{- end -}}

{{/* Checksums that roll pods when the shared config or the keys change */}}
{{- define "sextant.configChecksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum | trunc 16 }}
{{- end -}}
