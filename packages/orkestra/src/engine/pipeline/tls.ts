// Generated TLS Secrets (reference §10.5): `tls: {commonName, dnsNames, validFor}` on a Secret
// declaration makes a self-signed CA and a server certificate it signs (`certs/`), stored as a
// `kubernetes.io/tls` Secret with `tls.crt`, `tls.key` and `ca.crt`.
//
//   generated once   like `once: true` in any hook: kept while it exists and is not due, so a
//                    converged CR costs no write (and no key is made)
//   due when         the Secret lacks a certificate that parses; or the rendered commonName /
//                    dnsNames are not the certificate's (the CR was edited); or `rotateAfter` has
//                    passed since `orkestra.orkspace.io/generated-at`; or, without `rotateAfter`,
//                    less than a third of the certificate's lifetime is left (and always once it
//                    has expired). A rotation makes a new CA and new keys.
//   validFor         default: `rotateAfter`, else 1y
//
// Generation is asynchronous (WebCrypto), planning is not: the stage `prepareTls` runs before
// planning and generates material only for the declarations that are missing or due; planning
// (`planTls`) decides again from the same caches and takes that material.
import { X509Certificate } from 'node:crypto';
import { evaluateConditions } from '../../conditions/evaluate.ts';
import { parseDuration } from '../../conditions/cron.ts';
import type { KubeObject } from '../../kube/index.ts';
import type { HookName, ResourceDecl } from '../../katalog/model.ts';
import { kindOrder, type Manifest } from '../resources/index.ts';
import { Fields, isObject } from '../resources/coerce.ts';
import { cachedChild } from '../children.ts';
import { DeclarationError } from '../errors.ts';
import type { ChildIntent } from '../intents.ts';
import type { ReconcileScope } from '../scope.ts';
import type { ServerBundle, ServerCertRequest } from '../../certs/bundle.ts';
import { ANNOTATION_GENERATED_AT, buildDeclaration, childKindFor } from './resources.ts';

const DEFAULT_VALID_FOR = '1y';

export function isTlsSecret(d: ResourceDecl): boolean {
  return d.kind === 'secrets' && d.spec.tls !== undefined && d.spec.tls !== null;
}

/** What one declaration's certificate names, rendered; without the clock. */
type Names = Pick<ServerCertRequest, 'commonName' | 'dnsNames' | 'validForMs'>;

/** The rendered request of a `tls` declaration. Throws RenderError / DeclarationError. */
function namesOf(scope: ReconcileScope, d: ResourceDecl): Names {
  const rendered = scope.renderer.tree(d.spec.tls, `${d.path}.tls`);
  const f = new Fields(isObject(rendered) ? rendered : {});
  const dnsNames = (f.stringList('dnsNames') ?? []).map((n) => n.trim()).filter((n) => n !== '');
  const commonName = f.string('commonName')?.trim() || dnsNames[0];
  if (commonName === undefined) f.error('commonName', 'a tls Secret needs commonName or dnsNames');
  const validFor = d.spec.tls && isObject(d.spec.tls) && typeof d.spec.tls.validFor === 'string' ? d.spec.tls.validFor : (d.rotateAfter ?? DEFAULT_VALID_FOR);
  const validForMs = parseDuration(validFor);
  if (validForMs === undefined || validForMs < 1000) f.error('validFor', `"${validFor}" is not a duration of a second or more`);
  if (f.errors.length > 0) throw new DeclarationError(d.path, f.errors.map((e) => ({ ...e, path: `tls.${e.path}` })));
  return { commonName: commonName!, dnsNames: dnsNames.length > 0 ? dnsNames : [commonName!], validForMs: validForMs! };
}

/** Whether the live Secret needs new material (see the header). */
function isDue(d: ResourceDecl, live: KubeObject, names: Names, now: Date): boolean {
  const pem = (live as { data?: Record<string, string> }).data?.['tls.crt'];
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(pem ?? '', 'base64'));
  } catch {
    return true;
  }
  if (cert.subject !== `CN=${names.commonName}` || cert.subjectAltName !== names.dnsNames.map((n) => `DNS:${n}`).join(', ')) return true;
  const t = now.getTime();
  const notAfter = cert.validToDate.getTime();
  if (t >= notAfter) return true;
  const rotateMs = d.rotateAfter ? parseDuration(d.rotateAfter) : undefined;
  if (rotateMs !== undefined) {
    const generatedAt = Date.parse(live.metadata?.annotations?.[ANNOTATION_GENERATED_AT] ?? '');
    return Number.isNaN(generatedAt) || t - generatedAt >= rotateMs;
  }
  const lifetime = notAfter - cert.validFromDate.getTime();
  return notAfter - t <= lifetime / 3;
}

interface Assessed {
  desired: Manifest;
  live?: KubeObject;
  child: ReturnType<typeof childKindFor>;
  names: Names;
  due: boolean;
}

/** Undefined when the declaration's `when:` is false. Throws RenderError / DeclarationError. */
function assess(scope: ReconcileScope, d: ResourceDecl): Assessed | undefined {
  const r = scope.renderer;
  if (!evaluateConditions(d.when, d.or, r.data, r.conditionRender).pass) return undefined;
  const desired = buildDeclaration(scope, d);
  const child = childKindFor(scope.box, d, desired);
  const live = child ? cachedChild(child, desired.metadata.name, desired.metadata.namespace) : undefined;
  const names = namesOf(scope, d);
  return { desired, child, names, due: !live || isDue(d, live, names, scope.now), ...(live ? { live } : {}) };
}

/**
 * Stage "tls": generates the material of the `tls` Secrets that are missing or due, into
 * `scope.tls`. A declaration that cannot be rendered is skipped: planning reports it with the field.
 */
export async function prepareTls(scope: ReconcileScope): Promise<void> {
  const ob = scope.box.entry.operatorBox;
  const wanted: [string, Names][] = [];
  for (const hook of [ob.onCreate, ob.onReconcile]) {
    for (const d of hook.resources) {
      if (!isTlsSecret(d)) continue;
      let a;
      try {
        a = assess(scope, d);
      } catch {
        continue;
      }
      if (a?.due) wanted.push([d.path, a.names]);
    }
  }
  if (wanted.length === 0) return;
  const { selfSignedServerBundle } = await import('../../certs/bundle.ts');
  await Promise.all(wanted.map(async ([path, names]) => {
    try {
      scope.tls.set(path, await selfSignedServerBundle({ ...names, now: scope.now }));
    } catch (err) {
      scope.tls.set(path, err instanceof Error ? err : new Error(String(err)));
    }
  }));
}

/** Plans one `tls` declaration: keep, or create / rotate with the stage's material. */
export function planTls(scope: ReconcileScope, hook: HookName, d: ResourceDecl): ChildIntent | undefined {
  const a = assess(scope, d);
  if (!a) return undefined;
  const base = { source: d.path, hook, order: kindOrder(d.kind), child: a.child };
  if (a.live && !a.due) return { ...base, verb: 'keep', reason: 'exists', live: a.live };
  const material = scope.tls.get(d.path);
  if (material === undefined) throw new Error(`${d.path}.tls: no certificate was generated for this reconcile`);
  if (material instanceof Error) {
    if (material.name === 'CertificateRequestError') throw new DeclarationError(d.path, [{ path: 'tls', message: material.message }]);
    throw new Error(`${d.path}.tls: generating the certificate failed: ${material.message}`);
  }
  const desired: Manifest = {
    ...a.desired,
    metadata: { ...a.desired.metadata, annotations: { ...a.desired.metadata.annotations, [ANNOTATION_GENERATED_AT]: scope.now.toISOString() } },
    data: secretData(material),
  };
  return a.live
    ? { ...base, verb: 'rotate', reason: 'rotation-due', desired, live: a.live }
    : { ...base, verb: 'create', reason: 'missing', desired };
}

/** The stored (base64) form, so the object written is what the cache will hold. */
function secretData(b: ServerBundle): Record<string, string> {
  const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return { 'ca.crt': enc(b.caCert), 'tls.crt': enc(b.cert), 'tls.key': enc(b.key) };
}
