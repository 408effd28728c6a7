import { toJson } from './coerce.ts';
import { defineKind } from './meta.ts';
import type { Json } from './types.ts';

/** Ready-made policies for the common cases (names from the original runtime). */
const PROFILES: Readonly<Record<string, { policyTypes: string[]; ingress?: Json; egress?: Json }>> = {
  'deny-all': { policyTypes: ['Ingress', 'Egress'] },
  'allow-same-namespace': { policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
  'allow-dns-egress': {
    policyTypes: ['Egress'],
    egress: [{
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    }],
  },
};

/** NetworkPolicy: `profile:` or `podSelector` (a label map) + `policyTypes` + `ingress`/`egress`. */
export const networkPolicies = defineKind({
  key: 'networkPolicies',
  gvk: { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
  plural: 'networkpolicies',
  namespaced: true,
  defaultNameSuffix: '-netpol',
  body(f) {
    const matchLabels = f.stringMap('podSelector');
    const podSelector = matchLabels && Object.keys(matchLabels).length > 0 ? { matchLabels } : {};
    if (f.has('profile')) {
      const name = f.string('profile') ?? '';
      const p = PROFILES[name];
      if (!p) {
        f.error('profile', `unknown profile ${JSON.stringify(name)} (${Object.keys(PROFILES).join(', ')})`);
        return {};
      }
      return { spec: toJson({ podSelector, ...p }) };
    }
    const ingress = f.json('ingress');
    const egress = f.json('egress');
    const policyTypes = f.commaList('policyTypes')
      ?? [...(ingress !== undefined ? ['Ingress'] : []), ...(egress !== undefined ? ['Egress'] : [])];
    return { spec: { podSelector, policyTypes: policyTypes.length > 0 ? policyTypes : ['Ingress'], ingress, egress } };
  },
});
