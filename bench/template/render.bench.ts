// Template engine throughput on one core: a one-line name template and a 40-line Deployment
// manifest with range/if. Run: node bench/template/render.bench.ts
import { compile } from '../../packages/orkestra/src/template/index.ts';

const cr = {
  apiVersion: 'example.com/v1', kind: 'Website',
  metadata: { name: 'my-site', namespace: 'web', uid: '1234', labels: { app: 'my-site', tier: 'web' } },
  spec: {
    image: 'nginx:1.27', replicas: 3, port: 8080, suspend: false,
    env: { LOG_LEVEL: 'info', REGION: 'eu-west-1', MODE: 'prod' },
    resources: { cpu: '250m', memory: '256Mi' }, probes: true,
    volumes: [{ name: 'data', claim: 'my-site-data' }, { name: 'cache', claim: '' }],
  },
};

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .metadata.name }}
  namespace: {{ .metadata.namespace }}
  labels:
{{- range $k, $v := .metadata.labels }}
    {{ $k }}: {{ $v | quote }}
{{- end }}
spec:
  replicas: {{ if .spec.suspend }}0{{ else }}{{ .spec.replicas }}{{ end }}
  selector:
    matchLabels:
      app: {{ .metadata.name }}
  template:
    metadata:
      labels:
        app: {{ .metadata.name }}
    spec:
      containers:
        - name: {{ .metadata.name }}
          image: {{ .spec.image }}
          ports:
            - containerPort: {{ .spec.port }}
          env:
{{- range $k, $v := .spec.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
{{- end }}
          resources:
            requests:
              cpu: {{ .spec.resources.cpu | default "100m" }}
              memory: {{ .spec.resources.memory | default "128Mi" }}
{{- if .spec.probes }}
          readinessProbe:
            httpGet: { path: /healthz, port: {{ .spec.port }} }
{{- end }}
      volumes:
{{- range .spec.volumes }}{{ if .claim }}
        - name: {{ .name }}
          persistentVolumeClaim: { claimName: {{ .claim }} }
{{- end }}{{ end }}`;

function bench(label: string, source: string, viaCompile = false, minMs = 1500): number {
  const t = compile(source);
  const run = viaCompile ? (): string => compile(source).render(cr) : (): string => t.render(cr);
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += run().length; // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 10_000; i++) sink += run().length;
    n += 10_000;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const perSec = Math.round((n / elapsed) * 1000);
  console.log(`${label}: ${perSec.toLocaleString('en-US')} renders/s (${n} renders in ${elapsed.toFixed(0)} ms, ${sink > 0 ? 'ok' : ''})`);
  return perSec;
}

console.log(`lines in manifest template: ${manifest.split('\n').length}; node ${process.version}`);
const a = bench('name template "{{ .metadata.name }}-svc"', '{{ .metadata.name }}-svc');
const b = bench('40-line Deployment manifest', manifest);
const c = bench('compile (cache hit) + render of the name template', '{{ .metadata.name }}-svc', true);
void c;
if (process.argv.includes('--check')) {
  if (a < 500_000 || b < 20_000) {
    console.error('below goals (500k/s, 20k/s)');
    process.exitCode = 1;
  }
}
