import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDifference, isUnchanged, mergeKeyOf, parseQuantity } from './compare.ts';

test('quantities compare by amount', () => {
  assert.equal(parseQuantity('100m'), parseQuantity('0.1'));
  assert.equal(parseQuantity('1Gi'), parseQuantity('1073741824'));
  assert.equal(parseQuantity('1.5Gi'), parseQuantity('1536Mi'));
  assert.equal(parseQuantity('1k'), parseQuantity(1000));
  assert.equal(parseQuantity('1e3'), parseQuantity('1k'));
  assert.equal(parseQuantity(2), parseQuantity('2'));
  assert.notEqual(parseQuantity('100m'), parseQuantity('1'));
  assert.equal(parseQuantity('http'), undefined);
  assert.equal(parseQuantity('1.2.3'), undefined);
  assert.equal(parseQuantity('-1'), -1_000_000_000n);
});

const live = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', uid: 'u1', resourceVersion: '7', labels: { app: 'web', 'pod-template-hash': 'x' }, generation: 3 },
  spec: {
    replicas: 2,
    revisionHistoryLimit: 10,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        restartPolicy: 'Always',
        containers: [
          {
            name: 'sidecar',
            image: 'envoy:1',
            imagePullPolicy: 'IfNotPresent',
          },
          {
            name: 'app',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            terminationMessagePath: '/dev/termination-log',
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1' } },
            ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
            env: [
              { name: 'B', value: '2' },
              { name: 'A', value: '1' },
            ],
          },
        ],
      },
    },
  },
  status: { readyReplicas: 2 },
};

const desired = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } },
  spec: {
    replicas: '2',
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            resources: { requests: { cpu: '0.1', memory: '67108864' }, limits: { cpu: 1 } },
            ports: [{ containerPort: '8080', name: 'http' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
          { name: 'sidecar', image: 'envoy:1' },
        ],
      },
    },
  },
  status: { whatever: true },
};

test('an object equal up to defaults, quantity spelling, number/string and list order is unchanged', () => {
  assert.equal(findDifference(desired.spec, live.spec), undefined);
  assert.equal(isUnchanged(desired, live), true);
});

test('a changed value, a removed list item and a new field are changes, with the path reported', () => {
  const image = structuredClone(desired);
  image.spec.template.spec.containers[0].image = 'nginx:1.28';
  assert.equal(isUnchanged(image, live), false);
  assert.equal(findDifference(image.spec, live.spec)?.path, 'template.spec.containers[name=app].image');

  const cpu = structuredClone(desired);
  cpu.spec.template.spec.containers[0].resources!.requests.cpu = '200m';
  assert.equal(findDifference(cpu, live)?.path, 'spec.template.spec.containers[name=app].resources.requests.cpu');

  const fewer = structuredClone(desired);
  fewer.spec.template.spec.containers.pop();
  assert.equal(findDifference(fewer, live)?.path, 'spec.template.spec.containers');

  const label = structuredClone(desired) as typeof desired & { metadata: { labels: Record<string, string> } };
  label.metadata.labels.tier = 'front';
  assert.equal(findDifference(label, live)?.path, 'metadata.labels.tier');

  assert.equal(isUnchanged(desired, undefined), false);
});

test('null in desired means absent; plain numeric strings stay distinct; atomic lists compare in order', () => {
  assert.equal(findDifference({ a: null }, {}), undefined);
  assert.ok(findDifference({ a: null }, { a: 1 }));
  assert.ok(findDifference({ v: '1.0' }, { v: '1' }), 'labels like "1.0" vs "1" differ');
  assert.equal(findDifference({ port: 80 }, { port: '80' }), undefined);
  assert.ok(findDifference({ args: ['a', 'b'] }, { args: ['b', 'a'] }));
  assert.equal(findDifference({ args: ['a', 'b'] }, { args: ['a', 'b'] }), undefined);
  assert.ok(findDifference({ enabled: true }, { enabled: 'true' }));
});

test('merge keys: name, then containerPort/port; none when values repeat', () => {
  assert.equal(mergeKeyOf([{ name: 'a' }, { name: 'b' }]), 'name');
  assert.equal(mergeKeyOf([{ containerPort: 80 }, { containerPort: 443 }]), 'containerPort');
  assert.equal(mergeKeyOf([{ port: 80, targetPort: 8080 }]), 'port');
  assert.equal(mergeKeyOf([{ x: 1 }]), undefined);
  assert.equal(mergeKeyOf(['a']), undefined);
  // Service ports by port, in any order, with server defaults (protocol, targetPort) ignored.
  assert.equal(
    findDifference({ ports: [{ port: 443 }, { port: 80 }] }, { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 443, protocol: 'TCP', targetPort: 443 }] }),
    undefined,
  );
});
