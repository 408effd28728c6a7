import { isObject, toJson } from './coerce.ts';
import { defineKind } from './meta.ts';

/**
 * HPA (autoscaling/v2): `target` (or `scaleTargetRef`) names the workload — a Deployment of the
 * CR's name by default; `targetCPUUtilization` / `targetMemoryUtilization` build the metrics.
 */
export const horizontalPodAutoscalers = defineKind({
  key: 'horizontalPodAutoscalers',
  gvk: { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
  plural: 'horizontalpodautoscalers',
  namespaced: true,
  defaultNameSuffix: '-hpa',
  body(f, _meta, ctx) {
    const ref = f.object('scaleTargetRef');
    const kind = (ref ? f.stringAt(ref.kind, 'scaleTargetRef.kind') : f.string('targetKind')) ?? 'Deployment';
    const scaleTargetRef = {
      apiVersion: (ref ? f.stringAt(ref.apiVersion, 'scaleTargetRef.apiVersion') : undefined) ?? 'apps/v1',
      kind,
      name: (ref ? f.stringAt(ref.name, 'scaleTargetRef.name') : f.string('target')) ?? ctx.crName,
    };
    const minReplicas = f.int('minReplicas', 1) ?? f.int('min', 1) ?? 1;
    const maxReplicas = f.int('maxReplicas', 1) ?? f.int('max', 1);
    if (maxReplicas === undefined) f.error('maxReplicas', 'required');
    else if (maxReplicas < minReplicas) f.error('maxReplicas', `must be >= minReplicas (${minReplicas}), got ${maxReplicas}`);
    let metrics = f.json('metrics');
    if (metrics === undefined) {
      const list = [];
      for (const [key, resource] of [['targetCPUUtilization', 'cpu'], ['targetMemoryUtilization', 'memory']] as const) {
        const v = f.int(key, 1);
        if (v !== undefined) list.push({ type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: v } } });
      }
      metrics = list.length > 0 ? toJson(list) : undefined;
    }
    return {
      spec: {
        scaleTargetRef,
        minReplicas,
        maxReplicas,
        metrics,
        behavior: isObject(f.raw('behavior')) ? f.json('behavior') : undefined,
      },
    };
  },
});
