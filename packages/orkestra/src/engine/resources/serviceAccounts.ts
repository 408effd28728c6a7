import { defineKind } from './meta.ts';

export const serviceAccounts = defineKind({
  key: 'serviceAccounts',
  gvk: { group: '', version: 'v1', kind: 'ServiceAccount' },
  plural: 'serviceaccounts',
  namespaced: true,
  defaultNameSuffix: '-sa',
  body(f) {
    return {
      automountServiceAccountToken: f.bool('automountServiceAccountToken'),
      imagePullSecrets: f.stringList('imagePullSecrets')?.map((name) => ({ name })),
    };
  },
});
