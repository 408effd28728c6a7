// Stage "status": the declared `status.fields` (templated, gated by `when:`, later entries for
// the same path win, cast by `type`) plus the automatic Ready condition and observedGeneration.
// The result is merged into the live status by the applier, which sends nothing when it matches.
import { evaluateConditions } from '../../conditions/evaluate.ts';
import type { KubeObject } from '../../kube/index.ts';
import type { StatusField, StatusSpec } from '../../katalog/model.ts';
import type { Renderer } from '../render.ts';

export interface ReadyCondition {
  type: 'Ready';
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

function cast(v: unknown, f: StatusField): unknown {
  if (typeof v !== 'string') return v;
  switch (f.type) {
    case 'int': {
      if (v.trim() === '') return 0;
      const n = Number(v);
      if (!Number.isInteger(n)) throw new Error(`status.${f.path}: ${JSON.stringify(v)} is not an integer`);
      return n;
    }
    case 'float': {
      if (v.trim() === '') return 0;
      const n = Number(v);
      if (Number.isNaN(n)) throw new Error(`status.${f.path}: ${JSON.stringify(v)} is not a number`);
      return n;
    }
    case 'bool':
      if (v === 'true' || v === 'false') return v === 'true';
      if (v.trim() === '') return false;
      throw new Error(`status.${f.path}: ${JSON.stringify(v)} is not a boolean`);
    case 'auto': {
      if (/^-?\d+$/.test(v)) return Number(v);
      if (v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      if (v === 'true' || v === 'false') return v === 'true';
      return v;
    }
    default:
      return v;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/** Renders the declared fields; failures are collected (every field is attempted). */
export function statusFields(spec: StatusSpec, renderer: Renderer): { fields: Record<string, unknown>; errors: string[] } {
  const fields: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const [i, f] of spec.fields.entries()) {
    try {
      const gate = evaluateConditions(f.when, f.or, renderer.data, renderer.conditionRender);
      if (!gate.pass) {
        if (f.clearOnFalse) setPath(fields, f.path, '');
        continue;
      }
      setPath(fields, f.path, cast(renderer.tree(f.value, `status.fields[${i}].value`), f));
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  return { fields, errors };
}

/**
 * The Ready condition for this outcome. lastTransitionTime changes only when the status flips,
 * so a steady state computes exactly the condition already stored (and nothing is written).
 */
export function readyCondition(cr: KubeObject, error: string | undefined, now: Date): ReadyCondition {
  const status = error === undefined ? 'True' : 'False';
  const prev = ((cr.status as { conditions?: ReadyCondition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
  const cond: ReadyCondition = {
    type: 'Ready',
    status,
    reason: error === undefined ? 'ReconcileSucceeded' : 'ReconcileError',
    message: error ?? '',
    lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  if (cr.metadata?.generation !== undefined) cond.observedGeneration = cr.metadata.generation;
  return cond;
}

/** The status to merge: declared fields, observedGeneration and conditions (Ready replaced in place). */
export function desiredStatus(cr: KubeObject, spec: StatusSpec, fields: Record<string, unknown>, ready: ReadyCondition): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (cr.metadata?.generation !== undefined) out.observedGeneration = cr.metadata.generation;
  if (spec.conditions) {
    const existing = ((cr.status as { conditions?: ReadyCondition[] } | undefined)?.conditions ?? []);
    const i = existing.findIndex((c) => c.type === 'Ready');
    out.conditions = i < 0 ? [...existing, ready] : existing.map((c, j) => (j === i ? ready : c));
  }
  return out;
}
