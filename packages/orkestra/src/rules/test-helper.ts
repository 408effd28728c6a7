// Rules as the loader builds them (so the operator precedence is the loader's), and a renderer
// over the real template engine whose errors name the field, as the RenderFn contract asks.
import assert from 'node:assert/strict';
import { loadKatalogText } from '../katalog/loader.ts';
import type { CrdEntry } from '../katalog/model.ts';
import { compile } from '../template/index.ts';
import type { RenderFn } from './types.ts';

export function entryWith(block: string): CrdEntry {
  const text = `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: rules}
spec:
  crds:
    web:
      apiTypes: {group: g.io, version: v1, kind: Web, plural: webs}
${block.replace(/^/gm, '      ')}
      operatorBox: {onCreate: {}}
`;
  const r = loadKatalogText(text, '/rules/katalog.yaml', { env: {} });
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return r.katalog.crds[0]!;
}

export const render: RenderFn = (source, data, path) => {
  try {
    return compile(source, { name: path }).render(data);
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
};
