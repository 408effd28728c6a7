// What the API server checks and fills in on every object, reduced to the rules a rendered
// child can break: names, label keys and values, owner references, and the fields only the
// server sets (uid, resourceVersion, generation, timestamps) which a client cannot change.
import type { KubeObject, ObjectMeta } from '../../kube/index.ts';

/** metadata fields the server owns: a write never changes them directly. */
export const SYSTEM_META = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'] as const;

/** metav1.Time: seconds precision, `2026-01-01T00:00:00Z`. */
export const timestamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** `metadata` of a caller's object without the server's fields (the caller's copy is not touched). */
export function clientMeta(meta: ObjectMeta | undefined): ObjectMeta {
  const out: ObjectMeta = { ...(meta ?? {}) };
  for (const k of SYSTEM_META) delete out[k];
  return out;
}

/** `next` with the server's metadata fields, name and namespace taken from `live`. */
export function keepSystemMeta(next: KubeObject, live: KubeObject): KubeObject {
  const meta: Record<string, unknown> = { ...(next.metadata ?? {}) };
  const lm: Record<string, unknown> = live.metadata ?? {};
  for (const k of [...SYSTEM_META, 'name', 'namespace', 'generateName'] as const) {
    if (lm[k] === undefined) delete meta[k];
    else meta[k] = lm[k];
  }
  return { ...next, apiVersion: live.apiVersion, kind: live.kind, metadata: meta as ObjectMeta };
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !SUBDOMAIN.test(prefix))) return 'prefix part must be a lowercase RFC 1123 subdomain';
  if (!name || name.length > 63 || !LABEL_NAME.test(name)) return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63)";
  return undefined;
}

/** The field errors the API server would answer with 422 Invalid (empty when valid). */
export function metaProblems(obj: KubeObject, kind: string): string[] {
  const m = obj.metadata ?? {};
  const out: string[] = [];
  const name = m.name ?? '';
  const nameRule = kind === 'Namespace' ? DNS_LABEL : SUBDOMAIN;
  if (!name) out.push('metadata.name: Required value: name or generateName is required');
  else if (name.length > (kind === 'Namespace' ? 63 : 253) || !nameRule.test(name)) out.push(`metadata.name: Invalid value: "${name}": a lowercase RFC 1123 ${kind === 'Namespace' ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`);
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    const kp = qualifiedNameProblem(k);
    if (kp) out.push(`metadata.labels: Invalid value: "${k}": ${kp}`);
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) out.push(`metadata.labels: Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63)`);
  }
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    const kp = qualifiedNameProblem(k);
    if (kp) out.push(`metadata.annotations: Invalid value: "${k}": ${kp}`);
    if (typeof v !== 'string') out.push(`metadata.annotations: Invalid value: ${JSON.stringify(v)}: must be a string`);
  }
  (m.ownerReferences ?? []).forEach((r, i) => {
    for (const f of ['apiVersion', 'kind', 'name', 'uid'] as const) if (!r?.[f]) out.push(`metadata.ownerReferences[${i}].${f}: Invalid value: "": ${f} must not be empty`);
  });
  if ((m.ownerReferences ?? []).filter((r) => r?.controller).length > 1) out.push('metadata.ownerReferences: Invalid value: only one reference can have Controller set to true');
  return out;
}

/** A finalizer added to an object already being deleted (the server refuses it). */
export function addedFinalizers(before: KubeObject, after: KubeObject): string[] {
  const had = new Set(before.metadata?.finalizers ?? []);
  return (after.metadata?.finalizers ?? []).filter((f) => !had.has(f));
}

/** `generateName` + five random lowercase characters, like the server's name generator. */
export function generatedName(prefix: string): string {
  const chars = 'bcdfghjklmnpqrstvwxz2456789';
  let s = prefix;
  for (let i = 0; i < 5; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

