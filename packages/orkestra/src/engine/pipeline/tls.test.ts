// `tls` Secrets over the in-memory cluster with an injected clock: reconciles driven by hand, the
// operation log read after each, so the test sees every request a real run would send.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { loadKatalogText } from '../../katalog/loader.ts';
import type { KubeObject } from '../../kube/index.ts';
import type { Operation } from '../memory/memory-cluster.ts';
import { APP, app, appKatalogText, manualClock, startApp } from '../unit-cluster.test-helper.ts';
import type { ReconcileScope } from '../scope.ts';

const SECRET = { apiVersion: 'v1', kind: 'Secret' };
const DAY = 86_400_000;

async function harness(operatorBox: string) {
  const clock = manualClock();
  const scopes: ReconcileScope[] = [];
  const { cluster, run, reconciler } = await startApp(operatorBox, [app('web', 'shop', {})], { clock, observe: (s) => scopes.push(s) });
  return {
    cluster, clock, scopes,
    async reconcile(): Promise<string[]> {
      cluster.takeOperations();
      await reconciler.reconcile('shop/web');
      return brief(cluster.takeOperations()).filter((o) => !o.includes('apps/'));
    },
    secret: () => cluster.objects(SECRET)[0] as KubeObject & { type?: string; data?: Record<string, string> },
    cr: () => cluster.objects(APP)[0]!,
    stop: () => run.stop(),
  };
}

const brief = (ops: Operation[]) => ops.map((o) => `${o.verb} ${o.resource}/${o.name}${o.changed ? '' : ' (unchanged)'}`);
const pem = (s: { data?: Record<string, string> }, k: string) => Buffer.from(s.data?.[k] ?? '', 'base64').toString('utf8');
const ready = (o: KubeObject) => (o.status?.conditions as { type: string; status: string; reason: string; message: string }[] | undefined)?.find((c) => c.type === 'Ready');

describe('tls Secrets', () => {
  it('generated once (templated names), kept while not due, rotated once after rotateAfter, then quiet', async () => {
    const h = await harness(`onCreate:
  secrets:
    - name: "{{ .metadata.name }}-tls"
      tls:
        commonName: "{{ .metadata.name }}.{{ .metadata.namespace }}.svc"
        dnsNames: ["{{ .metadata.name }}.{{ .metadata.namespace }}.svc", "{{ .metadata.name }}.{{ .metadata.namespace }}.svc.cluster.local"]
      rotateAfter: 30d`);
    assert.deepEqual(await h.reconcile(), ['apply secrets/web-tls']);
    const s = h.secret();
    assert.equal(s.type, 'kubernetes.io/tls');
    assert.deepEqual(Object.keys(s.data ?? {}).sort(), ['ca.crt', 'tls.crt', 'tls.key']);
    const cert = new X509Certificate(pem(s, 'tls.crt'));
    const ca = new X509Certificate(pem(s, 'ca.crt'));
    assert.equal(cert.subject, 'CN=web.shop.svc');
    assert.equal(cert.subjectAltName, 'DNS:web.shop.svc, DNS:web.shop.svc.cluster.local');
    assert.equal(cert.checkIssued(ca) && cert.verify(ca.publicKey), true);
    assert.equal(cert.checkPrivateKey(createPrivateKey(pem(s, 'tls.key'))), true);
    assert.equal(cert.validToDate.getTime() - cert.validFromDate.getTime(), 30 * DAY, 'validFor defaults to rotateAfter');
    assert.equal(cert.validFromDate.toISOString(), '2026-06-01T00:00:00.000Z', 'valid from the injected clock');
    assert.equal(ready(h.cr())?.status, 'True');

    for (let i = 0; i < 5; i++) {
      h.clock.t += DAY;
      assert.deepEqual(await h.reconcile(), [], `reconcile ${i + 2}: a converged CR sends nothing`);
      assert.equal(h.scopes.at(-1)!.tls.size, 0, 'and generates nothing');
    }

    h.clock.t = Date.parse('2026-07-01T00:00:01Z');
    assert.deepEqual(await h.reconcile(), ['apply secrets/web-tls'], 'past rotateAfter: exactly one write');
    const rotated = h.secret();
    const cert2 = new X509Certificate(pem(rotated, 'tls.crt'));
    assert.notEqual(cert2.serialNumber, cert.serialNumber);
    assert.notEqual(pem(rotated, 'tls.key'), pem(s, 'tls.key'));
    assert.notEqual(pem(rotated, 'ca.crt'), pem(s, 'ca.crt'), 'a new CA too');
    assert.equal(cert2.checkIssued(new X509Certificate(pem(rotated, 'ca.crt'))), true);
    assert.equal(rotated.metadata?.annotations?.['orkestra.orkspace.io/generated-at'], '2026-07-01T00:00:01.000Z');
    assert.equal(cert2.validFromDate.toISOString(), '2026-07-01T00:00:01.000Z');

    assert.deepEqual(await h.reconcile(), [], 'quiet again after the rotation');
    assert.deepEqual(await h.reconcile(), []);

    const shown = JSON.stringify([h.cr().status, h.cluster.takeEvents()]);
    assert.doesNotMatch(shown, /PRIVATE KEY|BEGIN CERTIFICATE|LS0tLS1CRUdJTi/, 'no material in status or events');
    await h.stop();
  });

  it('without rotateAfter: the default name and 1y, renewed when a third of the lifetime is left; a renamed host renews it', async () => {
    const h = await harness(`onReconcile:
  secrets:
    - tls: {dnsNames: "{{ .spec.host }}"}`);
    await h.cluster.patch(APP, 'web', { spec: { host: 'a.example.com' } }, { namespace: 'shop' });
    assert.deepEqual(await h.reconcile(), ['apply secrets/orkestra-tls']);
    const first = new X509Certificate(pem(h.secret(), 'tls.crt'));
    assert.equal(first.subject, 'CN=a.example.com', 'commonName defaults to the first DNS name');
    assert.equal(first.validToDate.getTime() - first.validFromDate.getTime(), 365 * DAY);

    h.clock.t = first.validFromDate.getTime() + 240 * DAY;
    assert.deepEqual(await h.reconcile(), [], 'onReconcile keeps it too: more than a third left');
    h.clock.t = first.validFromDate.getTime() + 250 * DAY;
    assert.deepEqual(await h.reconcile(), ['apply secrets/orkestra-tls'], 'less than a third left');
    assert.notEqual(new X509Certificate(pem(h.secret(), 'tls.crt')).serialNumber, first.serialNumber);
    assert.deepEqual(await h.reconcile(), []);

    await h.cluster.patch(APP, 'web', { spec: { host: 'b.example.com' } }, { namespace: 'shop' });
    assert.deepEqual(await h.reconcile(), ['apply secrets/orkestra-tls'], 'the certificate no longer names the host');
    assert.equal(new X509Certificate(pem(h.secret(), 'tls.crt')).subjectAltName, 'DNS:b.example.com');
    assert.deepEqual(await h.reconcile(), []);

    // Someone empties the Secret by hand: it no longer holds a certificate, so it is made again.
    await h.cluster.patch(SECRET, 'orkestra-tls', { data: { 'tls.crt': Buffer.from('not a certificate').toString('base64') } }, { namespace: 'shop' });
    assert.deepEqual(await h.reconcile(), ['apply secrets/orkestra-tls']);
    assert.ok(new X509Certificate(pem(h.secret(), 'tls.crt')));
    await h.stop();
  });

  it('declaring data, a copy source or forEach with tls is refused at load, at the key', () => {
    const r = loadKatalogText(appKatalogText(`onCreate:
  secrets:
    - tls: {commonName: a.svc}
      data: {x: y}
    - tls: {commonName: b.svc}
      fromSecret: src
    - tls: {commonName: c.svc}
      forEach: {field: spec.items}`), '/unit/katalog.yaml');
    assert.equal(r.ok, false);
    const messages = r.ok ? [] : r.errors.map((e) => `${e.line}: ${e.message}`);
    assert.equal(messages.length, 3, messages.join('\n'));
    assert.match(messages[0]!, /^12: .*generates its data.*remove `data`/);
    assert.match(messages[1]!, /^14: .*cannot also be a copy \(`fromSecret`\)/);
    assert.match(messages[2]!, /^16: .*forEach on a tls Secret/);
  });

  it('a commonName X.509 cannot hold fails the CR with the field and writes no Secret', async () => {
    const h = await harness(`onCreate:
  secrets:
    - name: t
      tls: {commonName: "${'x'.repeat(70)}.svc"}`);
    assert.deepEqual(await h.reconcile(), []);
    assert.equal(h.cluster.objects(SECRET).length, 0);
    const r = ready(h.cr());
    assert.equal(r?.status, 'False');
    assert.match(r?.message ?? '', /secrets\[0\].*tls.*64/);
    await h.stop();
  });
});
