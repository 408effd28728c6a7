import { isObject, toJson } from './coerce.ts';
import { podSelectorLabels } from './labels.ts';
import { defineKind } from './meta.ts';
import type { BuildContext, Json } from './types.ts';

const SUFFIXES = ['-svc', '-service', '-lb', '-headless', '-internal', '-external'];

/**
 * Which workload a Service without `selector` fronts: the workload of the same name; else the
 * name minus a conventional suffix (`web-svc` → `web`); else the only declared workload; else the
 * same name (the pods of a Deployment declared with the Service's name).
 */
export function defaultServiceTarget(serviceName: string, ctx: Pick<BuildContext, 'workloads'>): string {
  const workloads = ctx.workloads ?? [];
  if (workloads.includes(serviceName)) return serviceName;
  for (const s of SUFFIXES) {
    if (serviceName.endsWith(s) && workloads.includes(serviceName.slice(0, -s.length))) {
      return serviceName.slice(0, -s.length);
    }
  }
  if (workloads.length === 1) return workloads[0];
  return serviceName;
}

export const services = defineKind({
  key: 'services',
  gvk: { group: '', version: 'v1', kind: 'Service' },
  plural: 'services',
  namespaced: true,
  defaultNameSuffix: '-svc',
  nameRule: 'label1035',
  body(f, meta, ctx) {
    const type = f.oneOf('type', ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const) ?? 'ClusterIP';
    const protocol = f.oneOf('protocol', ['TCP', 'UDP', 'SCTP'] as const);
    const ports: Json[] = [];
    const port = f.port('port');
    if (port !== undefined) {
      ports.push(toJson({
        name: f.string('portName'),
        port,
        protocol,
        targetPort: f.intOrStringAt(f.raw('targetPort'), 'targetPort') ?? port,
        nodePort: f.int('nodePort', 1, 65535),
      }));
    } else if (f.has('targetPort')) {
      f.error('port', 'required when targetPort is set');
    }
    f.list('ports')?.forEach((p, i) => {
      const path = `ports[${i}]`;
      if (!isObject(p)) { f.error(path, 'expected {port, targetPort, name, protocol}'); return; }
      const n = f.intAt(p.port, `${path}.port`, 1, 65535);
      if (n === undefined) { f.error(`${path}.port`, 'required'); return; }
      ports.push(toJson({
        name: f.stringAt(p.name, `${path}.name`),
        port: n,
        protocol: p.protocol === undefined ? protocol : f.stringAt(p.protocol, `${path}.protocol`)?.toUpperCase(),
        targetPort: f.intOrStringAt(p.targetPort, `${path}.targetPort`) ?? n,
        nodePort: f.intAt(p.nodePort, `${path}.nodePort`, 1, 65535),
      }));
    });
    if (ports.length > 1 && ports.some((p) => isObject(p) && p.name === undefined)) {
      f.error('ports', 'every port needs a name when a Service has several');
    }
    const headless = f.bool('headless') ?? false;
    const selector = f.stringMap('selector') ?? podSelectorLabels(defaultServiceTarget(meta.name, ctx), ctx.crName);
    return {
      spec: {
        type,
        clusterIP: headless ? 'None' : undefined,
        externalName: f.string('externalName'),
        selector: type === 'ExternalName' ? undefined : selector,
        ports: ports.length > 0 ? ports : undefined,
        sessionAffinity: f.oneOf('sessionAffinity', ['None', 'ClientIP'] as const),
        externalTrafficPolicy: f.oneOf('externalTrafficPolicy', ['Cluster', 'Local'] as const),
        loadBalancerClass: f.string('loadBalancerClass'),
      },
    };
  },
});
