// `crdFile:` → apiTypes, read from the CustomResourceDefinition itself so the Katalog does not
// repeat group/kind/plural (and cannot drift from the CRD that is actually installed).
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ApiTypes } from './model.ts';

export type CrdFileResult = { ok: true; apiTypes: ApiTypes } | { ok: false; message: string };

export function readCrdFile(absPath: string): CrdFileResult {
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, message: code === 'ENOENT' ? `crdFile not found: ${absPath}` : `cannot read crdFile ${absPath}: ${code ?? String(err)}` };
  }
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { ok: false, message: `crdFile ${absPath} is empty` };
  for (const doc of docs) {
    if (doc.errors.length > 0) return { ok: false, message: `crdFile ${absPath} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}` };
    const crd = doc.toJS() as unknown;
    if (!isObj(crd) || crd.kind !== 'CustomResourceDefinition') continue;
    const spec = isObj(crd.spec) ? crd.spec : {};
    const names = isObj(spec.names) ? spec.names : {};
    const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObj) : [];
    const served = versions.filter((v) => v.served !== false && typeof v.name === 'string').map((v) => v.name as string);
    const storage = versions.find((v) => v.storage === true && typeof v.name === 'string')?.name as string | undefined;
    const version = storage ?? served[0] ?? (typeof spec.version === 'string' ? spec.version : undefined);
    const missing = [
      typeof spec.group === 'string' ? '' : 'spec.group',
      typeof names.kind === 'string' ? '' : 'spec.names.kind',
      typeof names.plural === 'string' ? '' : 'spec.names.plural',
      version !== undefined ? '' : 'spec.versions',
    ].filter((m) => m !== '');
    if (missing.length > 0) return { ok: false, message: `crdFile ${absPath}: the CustomResourceDefinition has no ${missing.join(', ')}` };
    return {
      ok: true,
      apiTypes: {
        group: spec.group as string,
        version: version!,
        kind: names.kind as string,
        plural: names.plural as string,
        scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
        versions: served.length > 0 ? served : [version!],
        apiPath: '/apis',
      },
    };
  }
  return { ok: false, message: `crdFile ${absPath} holds no CustomResourceDefinition` };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
