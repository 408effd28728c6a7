// The bundle checked with Node's own X.509 parser, not the library that wrote it: a mistake the
// library makes on both sides would otherwise go unseen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { CertificateRequestError, selfSignedServerBundle } from './bundle.ts';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const request = { commonName: 'web.default.svc', dnsNames: ['web.default.svc', 'web.default.svc.cluster.local'], validForMs: 30 * DAY, now: NOW };

test('a CA and a server certificate it signed, for the declared names and period', async () => {
  const b = await selfSignedServerBundle(request);
  const ca = new X509Certificate(b.caCert);
  const cert = new X509Certificate(b.cert);

  assert.equal(ca.ca, true, 'basicConstraints cA on the CA');
  assert.equal(cert.ca, false, 'the server certificate is no CA');
  assert.equal(cert.verify(ca.publicKey), true, 'signed by the CA');
  assert.equal(cert.checkIssued(ca), true);
  assert.equal(ca.verify(ca.publicKey), true, 'the CA is self-signed');
  assert.equal(cert.verify(cert.publicKey), false);

  assert.equal(cert.subject, 'CN=web.default.svc');
  assert.equal(cert.subjectAltName, 'DNS:web.default.svc, DNS:web.default.svc.cluster.local');
  assert.notEqual(ca.subject, cert.subject, 'the CA is named apart from what it signs');
  assert.equal(cert.checkHost('web.default.svc.cluster.local'), 'web.default.svc.cluster.local');
  assert.equal(cert.checkHost('other.default.svc'), undefined);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extKeyUsage serverAuth');

  assert.equal(cert.validFromDate.getTime(), NOW.getTime());
  assert.equal(cert.validToDate.getTime(), NOW.getTime() + 30 * DAY);
  assert.equal(ca.validToDate.getTime(), NOW.getTime() + 30 * DAY);

  assert.match(b.key, /^-----BEGIN PRIVATE KEY-----\n/);
  const key = createPrivateKey(b.key);
  assert.equal(key.asymmetricKeyType, 'ec');
  assert.equal(cert.checkPrivateKey(key), true, 'the key belongs to the certificate');
  assert.equal(ca.checkPrivateKey(key), false);
  assert.doesNotMatch(`${b.cert}${b.caCert}`, /PRIVATE KEY/, 'the CA key is not handed out');
});

test('each call makes new keys and serials; without dnsNames the common name is the SAN', async () => {
  const a = await selfSignedServerBundle({ ...request, dnsNames: [] });
  const b = await selfSignedServerBundle({ ...request, dnsNames: [] });
  const ca = new X509Certificate(a.cert);
  const cb = new X509Certificate(b.cert);
  assert.equal(ca.subjectAltName, 'DNS:web.default.svc');
  assert.notEqual(ca.serialNumber, cb.serialNumber);
  assert.notEqual(new X509Certificate(a.caCert).serialNumber, new X509Certificate(b.caCert).serialNumber);
  assert.notEqual(a.key, b.key);
  assert.equal(cb.checkIssued(new X509Certificate(a.caCert)), false, 'one bundle\'s CA does not vouch for another');
});

test('sub-second now is truncated (X.509 keeps whole seconds) without changing the period', async () => {
  const b = await selfSignedServerBundle({ ...request, now: new Date(NOW.getTime() + 750) });
  const cert = new X509Certificate(b.cert);
  assert.equal(cert.validFromDate.getTime(), NOW.getTime());
  assert.equal(cert.validToDate.getTime() - cert.validFromDate.getTime(), 30 * DAY);
});

test('requests no certificate can be made from are refused by name', async () => {
  await assert.rejects(selfSignedServerBundle({ ...request, commonName: ' ' }), CertificateRequestError);
  await assert.rejects(selfSignedServerBundle({ ...request, commonName: `${'a'.repeat(60)}.default.svc` }), /64/);
  await assert.rejects(selfSignedServerBundle({ ...request, validForMs: 0 }), CertificateRequestError);
});

test('one generation takes tens of milliseconds at most (ECDSA P-256)', async (t) => {
  await selfSignedServerBundle(request); // the first call loads the library
  const runs = 20;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await selfSignedServerBundle(request);
  const each = (performance.now() - t0) / runs;
  t.diagnostic(`one CA + server certificate: ${each.toFixed(2)} ms (mean of ${runs})`);
  // A generous bound (a loaded CI machine): it fails only if generation became a different order of cost.
  assert.ok(each < 100, `${each} ms per bundle`);
});
