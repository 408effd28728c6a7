import { podSelectorLabels } from './labels.ts';
import { defineKind } from './meta.ts';

/** PDB: `minAvailable` XOR `maxUnavailable`; selects the pods of `target` (default: the CR's name). */
export const podDisruptionBudgets = defineKind({
  key: 'podDisruptionBudgets',
  gvk: { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
  plural: 'poddisruptionbudgets',
  namespaced: true,
  defaultNameSuffix: '-pdb',
  body(f, _meta, ctx) {
    const minAvailable = f.intOrStringAt(f.raw('minAvailable'), 'minAvailable');
    const maxUnavailable = f.intOrStringAt(f.raw('maxUnavailable'), 'maxUnavailable');
    if (minAvailable !== undefined && maxUnavailable !== undefined) {
      f.error('maxUnavailable', 'set either minAvailable or maxUnavailable, not both');
    }
    const selector = f.stringMap('selector') ?? podSelectorLabels(f.string('target') ?? ctx.crName, ctx.crName);
    return {
      spec: {
        minAvailable: minAvailable === undefined && maxUnavailable === undefined ? 1 : minAvailable,
        maxUnavailable,
        selector: { matchLabels: selector },
      },
    };
  },
});
