import { defineKind } from './meta.ts';
import type { Fields } from './coerce.ts';

export const TLS_SECRET_TYPE = 'kubernetes.io/tls';
/** Reference §10.5: a `tls` Secret without `name` is called this. */
export const TLS_DEFAULT_NAME = 'orkestra-tls';
/** What a `tls` Secret generates (reference §10.5); declaring one of these as well is contradictory. */
const TLS_EXCLUDES = ['data', 'stringData', 'encodedData'];

/**
 * Secret: the Katalog's `data` holds plain values (templates render to text), so they are sent
 * as `stringData` and the API server encodes them once. `encodedData` passes base64 values
 * through as `data`. Error messages never include values (the Fields reader runs in secret mode).
 * A `tls` Secret is built here without its data: the certificate is generated asynchronously
 * (`engine/pipeline/tls.ts`) and added by planning.
 */
export const secrets = defineKind({
  key: 'secrets',
  gvk: { group: '', version: 'v1', kind: 'Secret' },
  plural: 'secrets',
  namespaced: true,
  defaultNameSuffix: '-secret',
  secret: true,
  defaultName: (f) => (f.has('tls') ? TLS_DEFAULT_NAME : undefined),
  body(f) {
    if (f.has('tls')) return tlsBody(f);
    const plain = { ...(f.stringMap('data') ?? {}), ...(f.stringMap('stringData') ?? {}) };
    const stringData = Object.fromEntries(Object.keys(plain).sort().map((k) => [k, plain[k]]));
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

function tlsBody(f: Fields): Record<string, unknown> {
  for (const k of TLS_EXCLUDES) if (f.has(k)) f.error(k, `a tls Secret generates its data (tls.crt, tls.key, ca.crt); remove ${k}`);
  const type = f.string('type');
  if (type !== undefined && type !== TLS_SECRET_TYPE) f.error('type', `a tls Secret has type ${TLS_SECRET_TYPE}`);
  // A rotation rewrites the certificate; an immutable Secret would refuse it.
  if (f.bool('immutable') === true) f.error('immutable', 'a tls Secret is rotated, so it cannot be immutable');
  return { type: TLS_SECRET_TYPE };
}
