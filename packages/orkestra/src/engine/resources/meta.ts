// The part every builder shares: name and namespace defaults, labels, annotations, owner
// reference, error collection and final clean-up. A kind file only describes its body.

import { Fields, compact, nameProblem } from './coerce.ts';
import type {
  BuildContext, BuildResult, GroupVersionKind, Manifest, ResourceBuilder,
} from './types.ts';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  /** User labels merged with the standard labels (standard labels win). */
  labels: Record<string, string>;
}

export interface KindDefinition {
  key: string;
  gvk: GroupVersionKind;
  plural: string;
  namespaced: boolean;
  defaultNameSuffix: string;
  /** A default name that depends on the declaration (`tls` Secrets); else `<cr-name><suffix>`. */
  defaultName?(f: Fields): string | undefined;
  nameRule?: 'subdomain' | 'label1035' | 'label1123';
  /** Hide values in error messages (Secrets). */
  secret?: boolean;
  /** Builds everything but apiVersion/kind/metadata. Errors go to `f`. */
  body(f: Fields, meta: ObjectMeta, ctx: BuildContext): Record<string, unknown>;
}

export function apiVersionOf(gvk: GroupVersionKind): string {
  return gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
}

/** Resolves name/namespace/labels/annotations; shared with the `custom` kind. */
export function buildMeta(
  f: Fields, ctx: BuildContext, o: Pick<KindDefinition, 'namespaced' | 'defaultNameSuffix' | 'defaultName' | 'nameRule'> & { name?: string },
): { meta: ObjectMeta; metadata: Manifest['metadata'] } {
  const name = o.name ?? f.string('name') ?? o.defaultName?.(f) ?? `${ctx.crName}${o.defaultNameSuffix}`;
  const problem = nameProblem(name, o.nameRule ?? 'subdomain');
  if (problem) f.error('name', problem);
  const namespace = o.namespaced ? (f.string('namespace') ?? ctx.namespace) : undefined;
  if (namespace !== undefined) {
    const nsProblem = nameProblem(namespace, 'label1123');
    if (nsProblem) f.error('namespace', nsProblem);
  }
  const labels = { ...(f.stringMap('labels') ?? {}), ...ctx.labels };
  const sortedLabels = Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]]));
  const annotations = f.stringMap('annotations');
  const owner = ctx.ownerReference;
  const ownerReferences = o.namespaced && owner && namespace === ctx.namespace
    ? [{ ...owner, controller: owner.controller ?? true, blockOwnerDeletion: owner.blockOwnerDeletion ?? true }]
    : undefined;
  return {
    meta: { name, ...(namespace !== undefined ? { namespace } : {}), labels: sortedLabels },
    metadata: compact({
      name,
      namespace,
      labels: sortedLabels,
      annotations: annotations && Object.keys(annotations).length > 0 ? annotations : undefined,
      ownerReferences,
    }),
  };
}

export function defineKind(def: KindDefinition): ResourceBuilder {
  return {
    key: def.key,
    gvk: def.gvk,
    plural: def.plural,
    namespaced: def.namespaced,
    defaultNameSuffix: def.defaultNameSuffix,
    build(spec, ctx): BuildResult {
      const f = new Fields(spec, { secret: def.secret });
      const { meta, metadata } = buildMeta(f, ctx, def);
      const body = def.body(f, meta, ctx);
      if (f.errors.length > 0) return { ok: false, errors: f.errors };
      const manifest = compact({ apiVersion: apiVersionOf(def.gvk), kind: def.gvk.kind, metadata, ...body });
      return { ok: true, manifest: manifest as Manifest };
    },
  };
}
