import type { Fields } from './coerce.ts';
import { podSelectorLabels } from './labels.ts';
import { defineKind, type ObjectMeta } from './meta.ts';
import { buildPodTemplate } from './pod.ts';

/** The Job spec, shared with cronJobs' jobTemplate. Kubernetes generates the Job's selector. */
export function buildJobSpec(f: Fields, meta: ObjectMeta, crName: string): Record<string, unknown> {
  const template = buildPodTemplate(f, meta, podSelectorLabels(meta.name, crName), { restartPolicy: 'Never' });
  return {
    backoffLimit: f.int('backoffLimit', 0) ?? 3,
    completions: f.int('completions', 0),
    parallelism: f.int('parallelism', 0),
    activeDeadlineSeconds: f.int('activeDeadlineSeconds', 1),
    ttlSecondsAfterFinished: f.int('ttlSecondsAfterFinished', 0),
    template,
  };
}

/** Job: create-once (the engine never re-applies Jobs); restartPolicy defaults to Never. */
export const jobs = defineKind({
  key: 'jobs',
  gvk: { group: 'batch', version: 'v1', kind: 'Job' },
  plural: 'jobs',
  namespaced: true,
  defaultNameSuffix: '-job',
  body(f, meta, ctx) {
    return { spec: buildJobSpec(f, meta, ctx.crName) };
  },
});
