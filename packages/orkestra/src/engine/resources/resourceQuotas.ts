import { defineKind } from './meta.ts';

const PROFILES: Readonly<Record<string, Record<string, string>>> = {
  small: { 'limits.cpu': '2', 'limits.memory': '4Gi', pods: '10', 'requests.cpu': '1', 'requests.memory': '2Gi' },
  medium: { 'limits.cpu': '8', 'limits.memory': '16Gi', pods: '50', 'requests.cpu': '4', 'requests.memory': '8Gi' },
  large: { 'limits.cpu': '32', 'limits.memory': '64Gi', pods: '200', 'requests.cpu': '16', 'requests.memory': '32Gi' },
  xlarge: { 'limits.cpu': '128', 'limits.memory': '256Gi', pods: '1000', 'requests.cpu': '64', 'requests.memory': '128Gi' },
};

/** ResourceQuota: `hard` (quantities) or `profile: small|medium|large|xlarge`; `hard` overrides a profile. */
export const resourceQuotas = defineKind({
  key: 'resourceQuotas',
  gvk: { group: '', version: 'v1', kind: 'ResourceQuota' },
  plural: 'resourcequotas',
  namespaced: true,
  defaultNameSuffix: '-quota',
  body(f) {
    let base: Record<string, string> = {};
    if (f.has('profile')) {
      const name = f.string('profile') ?? '';
      const p = PROFILES[name];
      if (p) base = p;
      else f.error('profile', `unknown profile ${JSON.stringify(name)} (${Object.keys(PROFILES).join(', ')})`);
    }
    const merged = { ...base, ...(f.stringMap('hard') ?? {}) };
    if (Object.keys(merged).length === 0) f.error('hard', 'required (hard or profile)');
    const hard = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
    return { spec: { hard, scopes: f.commaList('scopes') } };
  },
});
