import { podSelectorLabels } from './labels.ts';
import { defineKind } from './meta.ts';
import { buildPodTemplate } from './pod.ts';

export const replicaSets = defineKind({
  key: 'replicaSets',
  gvk: { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  plural: 'replicasets',
  namespaced: true,
  defaultNameSuffix: '-replicaset',
  body(f, meta, ctx) {
    const selector = podSelectorLabels(meta.name, ctx.crName);
    return {
      spec: {
        replicas: f.int('replicas', 0) ?? 1,
        selector: { matchLabels: selector },
        template: buildPodTemplate(f, meta, selector),
      },
    };
  },
});
