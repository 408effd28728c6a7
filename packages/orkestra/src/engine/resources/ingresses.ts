import { toJson } from './coerce.ts';
import { defineKind } from './meta.ts';

/**
 * Ingress: the Kubernetes `rules`/`tls` pass through; the shorthand `host` + `path` +
 * `serviceName` + `servicePort` builds one rule (service defaults to the CR's name).
 */
export const ingresses = defineKind({
  key: 'ingresses',
  gvk: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
  plural: 'ingresses',
  namespaced: true,
  defaultNameSuffix: '-ingress',
  body(f, _meta, ctx) {
    let rules = f.json('rules');
    if (rules === undefined && (f.has('host') || f.has('serviceName') || f.has('servicePort'))) {
      const port = f.intOrStringAt(f.raw('servicePort') ?? 80, 'servicePort');
      rules = toJson([{
        host: f.string('host'),
        http: {
          paths: [{
            path: f.string('path') ?? '/',
            pathType: f.oneOf('pathType', ['Prefix', 'Exact', 'ImplementationSpecific'] as const) ?? 'Prefix',
            backend: {
              service: {
                name: f.string('serviceName') ?? ctx.crName,
                port: typeof port === 'number' ? { number: port } : { name: port },
              },
            },
          }],
        },
      }]);
    }
    let tls = f.json('tls');
    if (tls === undefined && f.has('tlsSecretName')) {
      tls = toJson([{ hosts: f.has('host') ? [f.string('host')] : undefined, secretName: f.string('tlsSecretName') }]);
    }
    if (rules === undefined && !f.has('defaultBackend')) f.error('rules', 'required (rules, or host/serviceName/servicePort)');
    return {
      spec: {
        ingressClassName: f.string('ingressClassName') ?? f.string('className'),
        defaultBackend: f.json('defaultBackend'),
        rules,
        tls,
      },
    };
  },
});
