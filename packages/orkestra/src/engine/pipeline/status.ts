// Stage "status": the declared `status.fields` (templated, gated by `when:`, later entries for
// the same path win, cast by `type`) plus the automatic Ready condition, observedGeneration and
// the reconcile's problems as a list (`status.errors`, each with the Katalog field it comes from),
// and the ValidationWarning condition of `warn` validation rules.
// The executor merges the result into the live status and sends nothing when it matches.
//
// observedGeneration on a CRD without the status subresource: there, status is part of the object
// and every status write raises metadata.generation, so an observedGeneration written would never
// match and each reconcile would write again. It is left out on such CRDs (top level and in the
// Ready condition); a converged CR then costs no write.
import { evaluateConditions } from '../../conditions/evaluate.ts';
import type { KubeObject } from '../../kube/index.ts';
import type { StatusField, StatusSpec } from '../../katalog/model.ts';
import type { Renderer } from '../render.ts';
import { StatusValueError, issuesOf, readyReason, summary, type ReconcileIssue } from '../errors.ts';
import { readChildren, type ReconcileScope } from '../scope.ts';

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
      if (!Number.isInteger(n)) throw new StatusValueError(`status.${f.path}`, `${JSON.stringify(v)} is not an integer`);
      return n;
    }
    case 'float': {
      if (v.trim() === '') return 0;
      const n = Number(v);
      if (Number.isNaN(n)) throw new StatusValueError(`status.${f.path}`, `${JSON.stringify(v)} is not a number`);
      return n;
    }
    case 'bool':
      if (v === 'true' || v === 'false') return v === 'true';
      if (v.trim() === '') return false;
      throw new StatusValueError(`status.${f.path}`, `${JSON.stringify(v)} is not a boolean`);
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
export function statusFields(spec: StatusSpec, renderer: Renderer): { fields: Record<string, unknown>; errors: unknown[] } {
  const fields: Record<string, unknown> = {};
  const errors: unknown[] = [];
  for (const [i, f] of spec.fields.entries()) {
    try {
      const gate = evaluateConditions(f.when, f.or, renderer.data, renderer.conditionRender);
      if (!gate.pass) {
        if (f.clearOnFalse) setPath(fields, f.path, '');
        continue;
      }
      setPath(fields, f.path, cast(renderer.tree(f.value, `status.fields[${i}].value`), f));
    } catch (e) {
      errors.push(e);
    }
  }
  return { fields, errors };
}

/**
 * The Ready condition for this outcome. lastTransitionTime changes only when the status flips,
 * so a steady state computes exactly the condition already stored (and nothing is written).
 */
export function readyCondition(cr: KubeObject, issues: readonly ReconcileIssue[], now: Date, withGeneration = true): ReadyCondition {
  const ok = issues.length === 0;
  const status = ok ? 'True' : 'False';
  const prev = ((cr.status as { conditions?: ReadyCondition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
  const cond: ReadyCondition = {
    type: 'Ready',
    status,
    reason: ok ? 'ReconcileSucceeded' : readyReason(issues),
    message: summary(issues),
    lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  if (withGeneration && cr.metadata?.generation !== undefined) cond.observedGeneration = cr.metadata.generation;
  return cond;
}

/** The status to merge: declared fields, observedGeneration, errors and conditions (Ready replaced in place). */
export function desiredStatus(cr: KubeObject, spec: StatusSpec, fields: Record<string, unknown>, ready: ReadyCondition, issues: readonly ReconcileIssue[], withGeneration = true): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (withGeneration && cr.metadata?.generation !== undefined) out.observedGeneration = cr.metadata.generation;
  // null removes the list once the problems are gone (merge patch), and matches an absent one.
  out.errors = issues.length > 0 ? issues.map((i) => ({ ...(i.path ? { path: i.path } : {}), reason: i.reason, message: i.message })) : null;
  if (spec.conditions) {
    const existing = ((cr.status as { conditions?: ReadyCondition[] } | undefined)?.conditions ?? []);
    const i = existing.findIndex((c) => c.type === 'Ready');
    out.conditions = i < 0 ? [...existing, ready] : existing.map((c, j) => (j === i ? ready : c));
  }
  return out;
}

export const VALIDATION_WARNING = 'ValidationWarning';

/**
 * The ValidationWarning condition: True with the messages of the `warn` rules that do not hold,
 * removed when they all hold (a condition that says "no warnings" would only be noise).
 */
export function withWarnings(conditions: unknown, cr: KubeObject, warnings: readonly string[], now: Date, withGeneration: boolean): unknown {
  if (!Array.isArray(conditions)) return conditions;
  const rest = conditions.filter((c: { type?: string }) => c?.type !== VALIDATION_WARNING);
  if (warnings.length === 0) return rest;
  const prev = conditions.find((c: { type?: string }) => c?.type === VALIDATION_WARNING) as { status?: string; lastTransitionTime?: string } | undefined;
  const cond: Record<string, unknown> = {
    type: VALIDATION_WARNING, status: 'True', reason: VALIDATION_WARNING, message: warnings.join('; '),
    lastTransitionTime: prev?.status === 'True' && prev.lastTransitionTime ? prev.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  if (withGeneration && cr.metadata?.generation !== undefined) cond.observedGeneration = cr.metadata.generation;
  return [...rest, cond];
}

/** Computes the CR's status from the declared fields and this reconcile's issues (`scope.status`). */
export function planStatus(scope: ReconcileScope): void {
  const box = scope.box;
  // Children are read again, with what this reconcile wrote: `.children.deployment.status` is as
  // fresh as the cache allows.
  scope.renderer.data = { ...scope.renderer.data, children: readChildren(scope) };
  const spec = box.entry.operatorBox.status;
  const { fields, errors } = statusFields(spec, scope.renderer);
  for (const e of errors) scope.issues.push(...issuesOf(e));
  const withGeneration = box.resource.subresources.includes('status');
  const ready = readyCondition(scope.cr, scope.issues, scope.now, withGeneration);
  const desired = desiredStatus(scope.cr, spec, fields, ready, scope.issues, withGeneration);
  if (spec.conditions) desired.conditions = withWarnings(desired.conditions, scope.cr, scope.warnings, scope.now, withGeneration);
  for (const k of box.statusPruned) delete desired[k];
  scope.status = { desired, written: false };
}
