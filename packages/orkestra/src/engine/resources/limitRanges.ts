import { toJson } from './coerce.ts';
import { defineKind } from './meta.ts';

/** LimitRange: Kubernetes `limits`, or container-level `default`/`defaultRequest`/`min`/`max` maps. */
export const limitRanges = defineKind({
  key: 'limitRanges',
  gvk: { group: '', version: 'v1', kind: 'LimitRange' },
  plural: 'limitranges',
  namespaced: true,
  defaultNameSuffix: '-limits',
  body(f) {
    let limits = f.json('limits');
    if (limits === undefined) {
      const item = {
        type: 'Container',
        default: f.stringMap('default'),
        defaultRequest: f.stringMap('defaultRequest'),
        max: f.stringMap('max'),
        min: f.stringMap('min'),
      };
      if (!item.default && !item.defaultRequest && !item.max && !item.min) {
        f.error('limits', 'required (limits, or default/defaultRequest/min/max)');
      }
      limits = toJson([item]);
    }
    return { spec: { limits } };
  },
});
