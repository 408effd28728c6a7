import { defineKind } from './meta.ts';

/** Namespace (cluster-scoped): no owner reference; deleted at CR deletion via the owner labels. */
export const namespaces = defineKind({
  key: 'namespaces',
  gvk: { group: '', version: 'v1', kind: 'Namespace' },
  plural: 'namespaces',
  namespaced: false,
  defaultNameSuffix: '-ns',
  nameRule: 'label1123',
  body: () => ({}),
});
