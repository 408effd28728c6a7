import { toJson } from './coerce.ts';
import { podSelectorLabels } from './labels.ts';
import { defineKind } from './meta.ts';
import { buildPodTemplate } from './pod.ts';

/** StatefulSet: deployment container fields + serviceName (default: its own name) and claims. */
export const statefulSets = defineKind({
  key: 'statefulSets',
  gvk: { group: 'apps', version: 'v1', kind: 'StatefulSet' },
  plural: 'statefulsets',
  namespaced: true,
  defaultNameSuffix: '-statefulset',
  body(f, meta, ctx) {
    const selector = podSelectorLabels(meta.name, ctx.crName);
    return {
      spec: {
        replicas: f.int('replicas', 0) ?? 1,
        serviceName: f.string('serviceName') ?? meta.name,
        selector: { matchLabels: selector },
        podManagementPolicy: f.oneOf('podManagementPolicy', ['OrderedReady', 'Parallel'] as const),
        template: buildPodTemplate(f, meta, selector),
        volumeClaimTemplates: f.has('volumeClaimTemplates') ? toJson(f.list('volumeClaimTemplates')) : undefined,
      },
    };
  },
});
