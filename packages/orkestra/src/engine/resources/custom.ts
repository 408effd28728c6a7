import { Fields, compact, isObject, toJson } from './coerce.ts';
import { buildMeta } from './meta.ts';
import type { BuildResult, Manifest, ResourceBuilder } from './types.ts';

const META_KEYS = new Set(['apiVersion', 'kind', 'name', 'namespace', 'labels', 'annotations', 'metadata', 'clusterScoped']);

/**
 * Any other object (`custom:`): the declaration is the manifest — `apiVersion`, `kind`, `name`
 * (or `metadata.name`), then `spec`, `data`, `rules`… copied as rendered. Scope is not known
 * statically: the object is namespaced (CR namespace, owner reference) unless `clusterScoped:
 * true`; the engine may correct this from discovery.
 */
export const custom: ResourceBuilder = {
  key: 'custom',
  defaultNameSuffix: '',
  build(spec, ctx): BuildResult {
    const metaIn = isObject(spec.metadata) ? spec.metadata : {};
    // Top-level name/labels win over metadata.* (the Katalog's usual form).
    const flat: Record<string, unknown> = {
      ...spec,
      name: spec.name ?? metaIn.name,
      namespace: spec.namespace ?? metaIn.namespace,
      labels: { ...(isObject(metaIn.labels) ? metaIn.labels : {}), ...(isObject(spec.labels) ? spec.labels : {}) },
      annotations: { ...(isObject(metaIn.annotations) ? metaIn.annotations : {}), ...(isObject(spec.annotations) ? spec.annotations : {}) },
    };
    const f = new Fields(flat);
    const apiVersion = f.requiredString('apiVersion');
    const kind = f.requiredString('kind');
    if (apiVersion !== undefined && !/^([a-z0-9.-]+\/)?v\d+[a-z0-9]*$/.test(apiVersion)) {
      f.error('apiVersion', `expected group/version or version, got ${JSON.stringify(apiVersion)}`);
    }
    if (!f.has('name')) f.error('name', 'required for custom resources');
    const namespaced = !(f.bool('clusterScoped') ?? false);
    const { metadata } = buildMeta(f, ctx, { namespaced, defaultNameSuffix: '' });
    const body: Record<string, unknown> = {};
    for (const k of Object.keys(spec).sort()) if (!META_KEYS.has(k)) body[k] = toJson(spec[k]);
    if (f.errors.length > 0) return { ok: false, errors: f.errors };
    return { ok: true, manifest: compact({ apiVersion, kind, metadata, ...body }) as Manifest };
  },
};
