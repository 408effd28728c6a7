import { defineKind } from './meta.ts';
import { buildPodSpec } from './pod.ts';

/** A bare Pod with the same container fields as a Deployment. */
export const pods = defineKind({
  key: 'pods',
  gvk: { group: '', version: 'v1', kind: 'Pod' },
  plural: 'pods',
  namespaced: true,
  defaultNameSuffix: '-pod',
  body(f, meta) {
    return { spec: buildPodSpec(f, meta.name, { restartPolicy: 'Always' }) };
  },
});
