import { defineKind } from './meta.ts';

/** ConfigMap: `data` values are strings (numbers and booleans are formatted). */
export const configMaps = defineKind({
  key: 'configMaps',
  gvk: { group: '', version: 'v1', kind: 'ConfigMap' },
  plural: 'configmaps',
  namespaced: true,
  defaultNameSuffix: '-config',
  body(f) {
    return {
      data: f.stringMap('data') ?? {},
      binaryData: f.stringMap('binaryData'),
      immutable: f.bool('immutable'),
    };
  },
});
