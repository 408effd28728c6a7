// Optional registration of the Katalog's CRDs (`ork run --install-crds`): from `crdFile` as
// written, or generated from `apiTypes` (a schema that keeps unknown fields, the status
// subresource, and a Ready column for `kubectl get`). Waits until the API server serves them.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { KubeClient, KubeObject } from '../kube/index.ts';
import type { ClusterWriter } from './ports.ts';
import type { CrdEntry } from '../katalog/model.ts';

const CRD_TYPE = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };

export function crdFromApiTypes(entry: CrdEntry): KubeObject {
  const t = entry.apiTypes;
  const versions = t.versions.length > 0 ? t.versions : [t.version];
  return {
    ...CRD_TYPE,
    metadata: { name: `${t.plural}.${t.group}`, labels: { 'app.kubernetes.io/managed-by': 'orkestra' } },
    spec: {
      group: t.group,
      scope: t.scope,
      names: { kind: t.kind, plural: t.plural, singular: t.kind.toLowerCase(), listKind: `${t.kind}List` },
      versions: versions.map((v) => ({
        name: v,
        served: true,
        storage: v === t.version,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        additionalPrinterColumns: [
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      })),
    },
  } as KubeObject;
}

async function crdsFromFile(file: string): Promise<KubeObject[]> {
  const docs = parseAllDocuments(await readFile(file, 'utf8'));
  return docs.map((d) => d.toJS() as KubeObject).filter((o) => o?.kind === 'CustomResourceDefinition');
}

/** Applies the CRDs of these entries and waits until each is Established. */
export async function installCrds(client: KubeClient, writer: ClusterWriter, entries: CrdEntry[], timeoutMs = 60_000): Promise<string[]> {
  const names: string[] = [];
  for (const e of entries) {
    const crds = e.crdFile ? await crdsFromFile(e.crdFile) : [crdFromApiTypes(e)];
    for (const crd of crds) {
      const live = await client.get(CRD_TYPE, crd.metadata!.name!).catch(() => undefined);
      await writer.apply(crd, live);
      names.push(crd.metadata!.name!);
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await client.get(CRD_TYPE, name);
      const conds = (crd.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
      if (conds.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not established within ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return names;
}
