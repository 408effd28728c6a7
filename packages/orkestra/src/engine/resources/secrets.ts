import { defineKind } from './meta.ts';

/**
 * Secret: the Katalog's `data` holds plain values (templates render to text), so they are sent
 * as `stringData` and the API server encodes them once. `encodedData` passes base64 values
 * through as `data`. Error messages never include values (the Fields reader runs in secret mode).
 */
export const secrets = defineKind({
  key: 'secrets',
  gvk: { group: '', version: 'v1', kind: 'Secret' },
  plural: 'secrets',
  namespaced: true,
  defaultNameSuffix: '-secret',
  secret: true,
  body(f) {
    const plain = { ...(f.stringMap('data') ?? {}), ...(f.stringMap('stringData') ?? {}) };
    const stringData = Object.fromEntries(Object.keys(plain).sort().map((k) => [k, plain[k]]));
    // Not built yet (reference §10.5: a self-signed CA and server certificate); refused rather
    // than answered with a Secret that lacks the certificate.
    if (f.has('tls')) f.error('tls', 'generated TLS Secrets (tls:) are not supported yet');
    const encoded = f.stringMap('encodedData');
    if (encoded) {
      for (const [k, v] of Object.entries(encoded)) {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) f.error(`encodedData.${k}`, 'expected base64 (value hidden)');
      }
    }
    return {
      type: f.string('type') ?? 'Opaque',
      stringData,
      data: encoded,
      immutable: f.bool('immutable'),
    };
  },
});
