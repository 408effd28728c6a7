import { buildPodTemplate, buildRollingUpdate } from './pod.ts';
import { podSelectorLabels } from './labels.ts';
import { defineKind } from './meta.ts';

/** Deployment: one container named after the Deployment; selector derived from name + CR. */
export const deployments = defineKind({
  key: 'deployments',
  gvk: { group: 'apps', version: 'v1', kind: 'Deployment' },
  plural: 'deployments',
  namespaced: true,
  defaultNameSuffix: '-deployment',
  body(f, meta, ctx) {
    const selector = podSelectorLabels(meta.name, ctx.crName);
    return {
      spec: {
        replicas: f.int('replicas', 0) ?? 1,
        selector: { matchLabels: selector },
        strategy: buildRollingUpdate(f),
        minReadySeconds: f.int('minReadySeconds', 0),
        revisionHistoryLimit: f.int('revisionHistoryLimit', 0),
        template: buildPodTemplate(f, meta, selector),
      },
    };
  },
});
