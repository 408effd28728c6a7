import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { RESOURCE_KINDS } from '../../katalog/model.ts';
import {
  LABEL_CRD, LABEL_MANAGED_BY, LABEL_OWNER, RESOURCE_BUILDERS, RESOURCE_KEYS, crdChildrenSelector,
  defaultServiceTarget, labelValue, resourceBuilder, selectorString, standardLabels,
  type BuildContext, type Manifest,
} from './index.ts';

const ctx: BuildContext = {
  namespace: 'shop',
  crName: 'web',
  crKind: 'Website',
  crdName: 'websites.demo.orkestra.io',
  labels: standardLabels({ namespace: 'shop', crName: 'web', crdName: 'websites.demo.orkestra.io' }),
  ownerReference: { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website', name: 'web', uid: 'uid-1' },
};

const STD = {
  'app.kubernetes.io/managed-by': 'orkestra',
  'orkestra-owner': 'web',
  'orkestra.orkspace.io/crd': 'websites.demo.orkestra.io',
  'orkestra.orkspace.io/owner-namespace': 'shop',
};
const OWNER = [{
  apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website', name: 'web', uid: 'uid-1',
  controller: true, blockOwnerDeletion: true,
}];
const POD_SELECTOR = { 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/name': 'web' };

function build(key: string, spec: Record<string, unknown>, c: BuildContext = ctx): Manifest {
  const r = resourceBuilder(key)?.build(spec, c);
  assert.ok(r, `no builder for ${key}`);
  if (!r.ok) assert.fail(`unexpected errors: ${JSON.stringify(r.errors)}`);
  return r.manifest;
}

function errors(key: string, spec: Record<string, unknown>): string[] {
  const r = resourceBuilder(key)?.build(spec, ctx);
  assert.ok(r);
  assert.equal(r.ok, false, 'expected field errors');
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('registry', () => {
  it('covers every resource kind of the Katalog model, in apply order', () => {
    assert.deepEqual(RESOURCE_KEYS, [...RESOURCE_KINDS]);
  });
  it('reports GVK, plural and scope', () => {
    const d = RESOURCE_BUILDERS.get('deployments');
    assert.deepEqual(d?.gvk, { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.equal(d?.plural, 'deployments');
    assert.equal(d?.namespaced, true);
    for (const k of ['namespaces', 'clusterRoles', 'clusterRoleBindings', 'persistentVolumes']) {
      assert.equal(RESOURCE_BUILDERS.get(k)?.namespaced, false, k);
    }
    assert.equal(RESOURCE_BUILDERS.get('custom')?.namespaced, undefined);
  });
  it('accepts aliases', () => {
    assert.equal(resourceBuilder('hpa')?.key, 'horizontalPodAutoscalers');
    assert.equal(resourceBuilder('pvcs')?.key, 'persistentVolumeClaims');
    assert.equal(resourceBuilder('configmaps')?.key, 'configMaps');
    assert.equal(resourceBuilder('nope'), undefined);
  });
});

describe('labels', () => {
  it('standard labels and selectors', () => {
    assert.deepEqual(ctx.labels, STD);
    assert.deepEqual(crdChildrenSelector('websites.demo.orkestra.io'), {
      [LABEL_MANAGED_BY]: 'orkestra', [LABEL_CRD]: 'websites.demo.orkestra.io',
    });
    assert.equal(selectorString({ b: '2', a: '1' }), 'a=1,b=2');
    assert.equal(LABEL_OWNER, 'orkestra-owner');
  });
  it('label values are made valid and stay distinct when shortened', () => {
    assert.equal(labelValue('web'), 'web');
    const long1 = labelValue('a'.repeat(80));
    const long2 = labelValue(`${'a'.repeat(79)}b`);
    assert.ok(long1.length <= 63 && long2.length <= 63);
    assert.notEqual(long1, long2);
    assert.match(labelValue('-weird name-'), /^weird-name-[0-9a-f]{8}$/);
  });
  it('user labels cannot override the standard labels', () => {
    const m = build('configMaps', { name: 'c', labels: { 'orkestra-owner': 'someone-else', tier: 'gold' } });
    assert.equal(m.metadata.labels['orkestra-owner'], 'web');
    assert.equal(m.metadata.labels.tier, 'gold');
  });
});

describe('deployments', () => {
  it('seed Website deployment (golden)', () => {
    assert.deepEqual(build('deployments', { name: 'web', image: 'nginx:1.25', replicas: '3' }), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: STD, ownerReferences: OWNER },
      spec: {
        replicas: 3,
        selector: { matchLabels: POD_SELECTOR },
        template: {
          metadata: { labels: { ...STD, ...POD_SELECTOR } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
        },
      },
    });
  });

  it('seed env: map form with literals, secretKeyRef, configMapKeyRef, and envFrom names', () => {
    const m = build('deployments', {
      name: 'web', image: 'nginx',
      env: {
        USERNAME: { secretKeyRef: { name: 'web-creds', key: 'username' } },
        REGION: { configMapKeyRef: { name: 'web-cfg', key: 'region' } },
        DB_HOST: { value: 'db:5432' },
        LOG_LEVEL: 'info',
        PORT: 8080,
      },
      envFrom: [{ configMapRef: 'web-cfg' }, { secretRef: 'web-creds' }],
    });
    const c = (m.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0];
    assert.deepEqual(c.env, [
      { name: 'USERNAME', valueFrom: { secretKeyRef: { key: 'username', name: 'web-creds' } } },
      { name: 'REGION', valueFrom: { configMapKeyRef: { key: 'region', name: 'web-cfg' } } },
      { name: 'DB_HOST', value: 'db:5432' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'PORT', value: '8080' },
    ]);
    assert.deepEqual(c.envFrom, [{ configMapRef: { name: 'web-cfg' } }, { secretRef: { name: 'web-creds' } }]);
  });

  it('env list form, Kubernetes envFrom and the grouped envFrom form give the same container', () => {
    const list = build('deployments', {
      name: 'web', image: 'nginx',
      env: [
        { name: 'A', value: 'x' },
        { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ],
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 's', optional: true } }],
    });
    const map = build('deployments', {
      name: 'web', image: 'nginx',
      env: { A: 'x', B: { secretKeyRef: { name: 's', key: 'k' } } },
      envFrom: { configMapRef: [{ name: 'cfg', prefix: 'CFG_' }], secretRef: [{ name: 's', optional: 'true' }] },
    });
    assert.deepEqual(list, map);
  });

  it('ports, resources, probes, command/args, labels, annotations, security, strategy', () => {
    const m = build('deployments', {
      name: 'api', image: 'api:1', replicas: 2, port: '8080', protocol: 'tcp',
      command: ['/bin/api'], args: ['--verbose', '--port', '8080'],
      labels: { tier: 'backend' }, annotations: { 'team.example.com/owner': 'payments' },
      resources: { requests: { cpu: '100m', memory: 128 }, limits: { memory: '256Mi' } },
      probes: { readiness: { type: 'http', path: '/ready', periodSeconds: '5' }, liveness: { type: 'tcp' } },
      securityContext: { profile: 'restricted' },
      rollingUpdate: { profile: 'safe' },
      serviceAccountName: 'api-sa', nodeSelector: { disk: 'ssd' }, imagePullSecrets: ['regcred'],
    });
    const spec = m.spec as Record<string, unknown> & { template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } };
    assert.deepEqual(m.metadata.annotations, { 'team.example.com/owner': 'payments' });
    assert.equal(m.metadata.labels.tier, 'backend');
    assert.equal(spec.template.metadata.labels.tier, 'backend', 'labels reach the pods');
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    assert.equal(spec.template.spec.serviceAccountName, 'api-sa');
    assert.deepEqual(spec.template.spec.nodeSelector, { disk: 'ssd' });
    assert.deepEqual(spec.template.spec.imagePullSecrets, [{ name: 'regcred' }]);
    const c = spec.template.spec.containers[0];
    assert.deepEqual(c.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(c.command, ['/bin/api']);
    assert.deepEqual(c.args, ['--verbose', '--port', '8080']);
    assert.deepEqual(c.resources, { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128' } });
    assert.deepEqual(c.readinessProbe, { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 });
    assert.deepEqual(c.livenessProbe, { tcpSocket: { port: 8080 } });
    assert.equal((c.securityContext as Record<string, unknown>).runAsNonRoot, true);
  });

  it('resources profile and containerName override', () => {
    const m = build('deployments', { name: 'w', image: 'i', resources: { profile: 'small' }, containerName: 'app' });
    const c = (m.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0];
    assert.equal(c.name, 'app');
    assert.deepEqual(c.resources, { limits: { cpu: '250m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  });

  it('defaults: name <cr>-deployment, one replica, CR namespace', () => {
    const m = build('deployments', { image: 'nginx' });
    assert.equal(m.metadata.name, 'web-deployment');
    assert.equal(m.metadata.namespace, 'shop');
    assert.equal((m.spec as { replicas: number }).replicas, 1);
  });

  it('field errors name the field and the bad value', () => {
    assert.deepEqual(errors('deployments', { name: 'web', image: 'nginx', replicas: 'abc' }),
      ['replicas: expected an integer, got "abc"']);
    assert.deepEqual(errors('deployments', { name: 'web' }), ['image: required']);
    assert.deepEqual(errors('deployments', { name: 'web', image: 'i', port: '70000' }),
      ['port: expected an integer 1-65535, got 70000']);
    assert.deepEqual(errors('deployments', { name: 'web', image: 'i', env: { P: { secretKeyRef: { name: 's' } } } }),
      ['env.P.secretKeyRef.key: required']);
    assert.deepEqual(errors('deployments', { name: 'Web', image: 'i', resources: { profile: 'huge' } }), [
      'name: "Web" is not a valid name (lowercase letters, digits, \'-\' and \'.\', at most 253)',
      'resources.profile: unknown profile "huge" (small, medium, large, xlarge)',
    ]);
    assert.deepEqual(errors('deployments', { image: 'i', envFrom: [{ volume: 'x' }] }),
      ['envFrom[0]: expected configMapRef or secretRef']);
  });
});

describe('services', () => {
  it('seed Website service (golden): port 80 → named-or-numeric targetPort, selector from the deployment', () => {
    assert.deepEqual(build('services', { name: 'web', port: 80, targetPort: '8080' }), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels: STD, ownerReferences: OWNER },
      spec: { type: 'ClusterIP', selector: POD_SELECTOR, ports: [{ port: 80, targetPort: 8080 }] },
    });
  });
  it('coerces "80" to a number and keeps a named targetPort a string', () => {
    const m = build('services', { name: 'web', port: '80', targetPort: 'http', type: 'loadbalancer' });
    assert.deepEqual((m.spec as Record<string, unknown>).ports, [{ port: 80, targetPort: 'http' }]);
    assert.equal((m.spec as Record<string, unknown>).type, 'LoadBalancer');
  });
  it('default selector follows the workload: same name, suffix, or the only workload', () => {
    assert.equal(defaultServiceTarget('web', { workloads: ['web'] }), 'web');
    assert.equal(defaultServiceTarget('web-svc', { workloads: ['web', 'worker'] }), 'web');
    assert.equal(defaultServiceTarget('web-lb', { workloads: ['api'] }), 'api');
    assert.equal(defaultServiceTarget('web-lb', {}), 'web-lb');
    const m = build('services', { name: 'web-lb', type: 'LoadBalancer', port: 80 }, { ...ctx, workloads: ['web'] });
    assert.deepEqual((m.spec as Record<string, unknown>).selector, POD_SELECTOR);
  });
  it('explicit selector, headless, ports list', () => {
    const m = build('services', {
      name: 'db', headless: true, selector: { app: 'db' },
      ports: [{ name: 'pg', port: '5432' }, { name: 'metrics', port: 9187, targetPort: 'metrics' }],
    });
    assert.deepEqual(m.spec, {
      type: 'ClusterIP', clusterIP: 'None', selector: { app: 'db' },
      ports: [{ name: 'pg', port: 5432, targetPort: 5432 }, { name: 'metrics', port: 9187, targetPort: 'metrics' }],
    });
  });
  it('errors', () => {
    assert.deepEqual(errors('services', { name: 'web', port: 'eighty' }), ['port: expected an integer, got "eighty"']);
    assert.deepEqual(errors('services', { name: '1web', port: 80 }),
      ['name: "1web" is not a valid name (a lowercase letter, then letters, digits or \'-\', at most 63)']);
    assert.deepEqual(errors('services', { name: 'web', type: 'Public', port: 80 }),
      ['type: expected one of ClusterIP, NodePort, LoadBalancer, ExternalName, got "Public"']);
  });
  it('default name is <cr>-svc', () => {
    assert.equal(build('services', { port: 80 }).metadata.name, 'web-svc');
  });
});

describe('configMaps and secrets', () => {
  it('configMap (golden): data values become strings', () => {
    assert.deepEqual(build('configMaps', { name: 'web-cfg', data: { region: 'eu', replicas: 3, debug: false } }), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-cfg', namespace: 'shop', labels: STD, ownerReferences: OWNER },
      data: { debug: 'false', region: 'eu', replicas: '3' },
    });
    assert.equal(build('configMaps', {}).metadata.name, 'web-config');
  });
  it('secret (golden): plain values as stringData, type Opaque', () => {
    assert.deepEqual(build('secrets', { name: 'web-creds', data: { username: 'admin', password: 's3cr3t' } }), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-creds', namespace: 'shop', labels: STD, ownerReferences: OWNER },
      type: 'Opaque',
      stringData: { password: 's3cr3t', username: 'admin' },
    });
  });
  it('secret type, encodedData and default name', () => {
    const m = build('secrets', { type: 'kubernetes.io/dockerconfigjson', encodedData: { '.dockerconfigjson': 'e30=' } });
    assert.equal(m.metadata.name, 'web-secret');
    assert.equal(m.type, 'kubernetes.io/dockerconfigjson');
    assert.deepEqual(m.data, { '.dockerconfigjson': 'e30=' });
  });
  it('secret errors never include values', () => {
    const errs = errors('secrets', { name: 's', data: { password: ['hunter2'] }, encodedData: { k: 'not base64!' } });
    assert.equal(errs.length, 2);
    for (const e of errs) assert.doesNotMatch(e, /hunter2|not base64!/);
    assert.deepEqual(errs, ['data.password: expected a string, got (value hidden)', 'encodedData.k: expected base64 (value hidden)']);
  });
});

describe('jobs and cronJobs', () => {
  it('job (golden): backoffLimit default 3, restartPolicy Never', () => {
    assert.deepEqual(build('jobs', { name: 'web-build', image: 'builder:1', command: ['make'], args: ['all'] }), {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'web-build', namespace: 'shop', labels: STD, ownerReferences: OWNER },
      spec: {
        backoffLimit: 3,
        template: {
          metadata: { labels: { ...STD, 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/name': 'web-build' } },
          spec: { containers: [{ name: 'web-build', image: 'builder:1', command: ['make'], args: ['all'] }], restartPolicy: 'Never' },
        },
      },
    });
  });
  it('job coercion and errors', () => {
    const m = build('jobs', { image: 'i', backoffLimit: '0', restartPolicy: 'OnFailure' });
    assert.equal(m.metadata.name, 'web-job');
    assert.equal((m.spec as { backoffLimit: number }).backoffLimit, 0);
    assert.deepEqual(errors('jobs', { image: 'i', backoffLimit: '-1' }), ['backoffLimit: expected an integer >= 0, got -1']);
    assert.deepEqual(errors('jobs', { image: 'i', restartPolicy: 'Sometimes' }),
      ['restartPolicy: expected one of Always, OnFailure, Never, got "Sometimes"']);
  });
  it('cronJob: schedule + job fields', () => {
    const m = build('cronJobs', {
      name: 'web-backup', image: 'backup:1', schedule: '0 3 * * *', suspend: 'false',
      concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: '2', backoffLimit: 1,
    });
    const spec = m.spec as Record<string, unknown> & { jobTemplate: { spec: Record<string, unknown> } };
    assert.equal(spec.schedule, '0 3 * * *');
    assert.equal(spec.suspend, false);
    assert.equal(spec.concurrencyPolicy, 'Forbid');
    assert.equal(spec.successfulJobsHistoryLimit, 2);
    assert.equal(spec.jobTemplate.spec.backoffLimit, 1);
    assert.deepEqual(errors('cronJobs', { image: 'i' }), ['schedule: required']);
    assert.deepEqual(errors('cronJobs', { image: 'i', schedule: 'daily' }),
      ['schedule: expected 5 cron fields or an @macro, got "daily"']);
  });
});

describe('other workloads', () => {
  it('statefulSet: serviceName defaults to its name', () => {
    const m = build('statefulSets', { name: 'db', image: 'postgres:16', replicas: '2' });
    const spec = m.spec as Record<string, unknown>;
    assert.equal(spec.serviceName, 'db');
    assert.equal(spec.replicas, 2);
    assert.deepEqual(spec.selector, { matchLabels: { 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/name': 'db' } });
  });
  it('replicaSet and pod', () => {
    assert.equal((build('replicaSets', { image: 'i' }).spec as { replicas: number }).replicas, 1);
    const pod = build('pods', { name: 'one-off', image: 'busybox', command: 'date' });
    assert.deepEqual(pod.spec, { containers: [{ name: 'one-off', image: 'busybox', command: ['date'] }], restartPolicy: 'Always' });
  });
});

describe('RBAC and service accounts', () => {
  it('serviceAccount', () => {
    const m = build('serviceAccounts', { automountServiceAccountToken: 'false' });
    assert.deepEqual(m, {
      apiVersion: 'v1', kind: 'ServiceAccount',
      metadata: { name: 'web-sa', namespace: 'shop', labels: STD, ownerReferences: OWNER },
      automountServiceAccountToken: false,
    });
  });
  it('role with comma lists; clusterRole is cluster-scoped (no namespace, no owner ref)', () => {
    const role = build('roles', { name: 'reader', rules: [{ resources: 'pods,services', verbs: 'get,list' }] });
    assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list'] }]);
    const cr = build('clusterRoles', { rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }] });
    assert.equal(cr.metadata.namespace, undefined);
    assert.equal(cr.metadata.ownerReferences, undefined);
    assert.equal(cr.metadata.labels['orkestra-owner'], 'web');
    assert.deepEqual(errors('roles', { rules: [{ resources: ['pods'] }] }), ['rules[0].verbs: required']);
  });
  it('roleBinding shorthands and clusterRoleBinding subjects default to the CR namespace', () => {
    const rb = build('roleBindings', { role: 'reader', serviceAccounts: ['web-sa'] });
    assert.deepEqual({ roleRef: rb.roleRef, subjects: rb.subjects }, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'web-sa', namespace: 'shop' }],
    });
    const crb = build('clusterRoleBindings', { roleRef: { name: 'view' }, subjects: [{ name: 'web-sa' }, { kind: 'Group', name: 'devs' }] });
    assert.deepEqual(crb.subjects, [
      { kind: 'ServiceAccount', name: 'web-sa', namespace: 'shop' },
      { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
    assert.deepEqual((crb.roleRef as Record<string, unknown>).kind, 'ClusterRole');
    assert.deepEqual(errors('roleBindings', { role: 'r' }), ['subjects: at least one subject (subjects or serviceAccounts) is required']);
  });
});

describe('networking, storage, scaling, namespaces, quotas', () => {
  it('ingress shorthand', () => {
    const m = build('ingresses', { host: 'web.example.com', servicePort: '80', className: 'nginx', tlsSecretName: 'web-tls' });
    assert.deepEqual(m.spec, {
      ingressClassName: 'nginx',
      rules: [{ host: 'web.example.com', http: { paths: [{ backend: { service: { name: 'web', port: { number: 80 } } }, path: '/', pathType: 'Prefix' }] } }],
      tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
    });
    assert.deepEqual(errors('ingresses', {}), ['rules: required (rules, or host/serviceName/servicePort)']);
  });
  it('persistentVolumeClaim and persistentVolume', () => {
    const pvc = build('persistentVolumeClaims', { storage: '10Gi', storageClassName: 'fast' });
    assert.deepEqual(pvc.spec, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'fast' });
    assert.deepEqual(errors('persistentVolumeClaims', {}), ['storage: required (e.g. "10Gi")']);
    const pv = build('persistentVolumes', { storage: '1Gi', hostPath: { path: '/data' }, reclaimPolicy: 'Retain' });
    assert.equal(pv.metadata.namespace, undefined);
    assert.deepEqual(pv.spec, {
      capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/data' },
    });
  });
  it('horizontalPodAutoscaler', () => {
    const m = build('horizontalPodAutoscalers', { minReplicas: '2', maxReplicas: '10', targetCPUUtilization: '70' });
    assert.deepEqual(m.spec, {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2, maxReplicas: 10,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 70, type: 'Utilization' } }, type: 'Resource' }],
    });
    assert.deepEqual(errors('horizontalPodAutoscalers', { minReplicas: 5, maxReplicas: 2 }),
      ['maxReplicas: must be >= minReplicas (5), got 2']);
  });
  it('podDisruptionBudget', () => {
    const m = build('podDisruptionBudgets', { maxUnavailable: '25%' });
    assert.deepEqual(m.spec, { maxUnavailable: '25%', selector: { matchLabels: POD_SELECTOR } });
    assert.deepEqual((build('podDisruptionBudgets', {}).spec as Record<string, unknown>).minAvailable, 1);
    assert.deepEqual(errors('podDisruptionBudgets', { minAvailable: 1, maxUnavailable: 1 }),
      ['maxUnavailable: set either minAvailable or maxUnavailable, not both']);
  });
  it('networkPolicy profiles and explicit rules', () => {
    assert.deepEqual(build('networkPolicies', { profile: 'deny-all' }).spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const m = build('networkPolicies', { podSelector: { app: 'web' }, ingress: [{ from: [{ podSelector: {} }] }] });
    assert.deepEqual(m.spec, { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    assert.deepEqual(errors('networkPolicies', { profile: 'open' }),
      ['profile: unknown profile "open" (deny-all, allow-same-namespace, allow-dns-egress)']);
  });
  it('namespace is cluster-scoped', () => {
    assert.deepEqual(build('namespaces', { name: 'team-a' }), {
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: STD },
    });
  });
  it('resourceQuota profile with overrides; limitRange shorthand', () => {
    const q = build('resourceQuotas', { profile: 'small', hard: { pods: 20 } });
    assert.equal((q.spec as { hard: Record<string, string> }).hard.pods, '20');
    assert.equal((q.spec as { hard: Record<string, string> }).hard['limits.cpu'], '2');
    const lr = build('limitRanges', { default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } });
    assert.deepEqual(lr.spec, { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }] });
  });
});

describe('custom', () => {
  it('passes the templated manifest through with metadata merged', () => {
    const m = build('custom', {
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'web-cert',
      metadata: { labels: { a: '1' } }, labels: { b: '2' },
      spec: { secretName: 'web-tls', dnsNames: ['web.example.com'] },
    });
    assert.deepEqual(m, {
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate',
      metadata: { name: 'web-cert', namespace: 'shop', labels: { a: '1', b: '2', ...STD }, ownerReferences: OWNER },
      spec: { dnsNames: ['web.example.com'], secretName: 'web-tls' },
    });
  });
  it('clusterScoped objects get no namespace or owner reference', () => {
    const m = build('custom', { apiVersion: 'example.com/v1', kind: 'Cluster', metadata: { name: 'c1' }, clusterScoped: true });
    assert.equal(m.metadata.namespace, undefined);
    assert.equal(m.metadata.ownerReferences, undefined);
  });
  it('errors', () => {
    assert.deepEqual(errors('custom', { spec: {} }), ['apiVersion: required', 'kind: required', 'name: required for custom resources']);
  });
});

describe('owner references and determinism', () => {
  it('no owner reference across namespaces (labels only)', () => {
    const m = build('configMaps', { name: 'copy', namespace: 'team-b', data: {} });
    assert.equal(m.metadata.namespace, 'team-b');
    assert.equal(m.metadata.ownerReferences, undefined);
    assert.equal(m.metadata.labels['orkestra.orkspace.io/owner-namespace'], 'shop');
  });
  it('same input → deep-equal output, with stable key order', () => {
    for (const key of RESOURCE_KEYS) {
      const spec = key === 'custom'
        ? { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', data: { b: '1', a: '2' } }
        : { image: 'i', schedule: '* * * * *', storage: '1Gi', hostPath: { path: '/x' }, maxReplicas: 2,
          host: 'h', hard: { pods: '1' }, default: { cpu: '1' }, role: 'r', roleRef: { name: 'r' }, serviceAccounts: ['s'],
          rules: key === 'ingresses' ? undefined : [{ verbs: ['get'], resources: ['pods'] }],
          port: key === 'services' ? 80 : undefined, data: { z: '1', a: '2' } };
      const a = resourceBuilder(key)?.build(spec, ctx);
      const b = resourceBuilder(key)?.build(structuredClone(spec), ctx);
      assert.ok(a?.ok, `${key}: ${JSON.stringify(a)}`);
      assert.deepEqual(a, b, key);
      assert.equal(JSON.stringify(a), JSON.stringify(b), key);
    }
  });
  it('a builder never mutates its input', () => {
    const spec = { name: 'web', image: 'nginx', env: { A: 'x' }, labels: { z: '1' } };
    const copy = structuredClone(spec);
    build('deployments', spec);
    assert.deepEqual(spec, copy);
  });
});
