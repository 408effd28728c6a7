// Declared values may be any YAML (a default map, a list): every string in them is a template.
import type { Value } from '../katalog/model.ts';
import type { RenderFn } from './types.ts';

export function renderValue(v: Value, data: Record<string, unknown>, render: RenderFn, path: string): unknown {
  if (typeof v === 'string') return render(v, data, path);
  if (Array.isArray(v)) return v.map((x, i) => renderValue(x, data, render, `${path}[${i}]`));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderValue(x, data, render, `${path}.${k}`)]));
  }
  return v;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
