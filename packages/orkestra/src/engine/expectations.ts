// What a Simulate file expects of a simulation, checked against the cycles it produced: operations
// per cycle (verb, resource plural, name), a steady last cycle, no errors, objects absent at the
// end — for every CRD, or per CRD. The answer is a list of readable failures, empty when met.
import type { Expectations, ExpectedOp } from '../katalog/simulate-file.ts';
import type { KubeObject } from '../kube/index.ts';
import type { Cycle, SimulatedCr } from './simulator.ts';

/** An operation as `ork simulate` prints it: the verb a reader (and a Simulate file) thinks in. */
export interface LabelledOp {
  verb: 'create' | 'update' | 'apply' | 'patch' | 'status' | 'delete';
  resource: string;
  kind: string;
  namespace?: string;
  name: string;
  changed: boolean;
  crd: string;
}

export function labelled(cr: SimulatedCr): LabelledOp[] {
  return cr.operations.map((o) => {
    const base = { resource: o.resource, kind: o.kind, namespace: o.namespace, name: o.name, changed: o.changed, crd: cr.crd };
    if (o.verb === 'patchStatus') return { ...base, verb: 'status' as const };
    if (o.verb === 'patch' || o.verb === 'delete') return { ...base, verb: o.verb };
    const created = cr.changes.some((c) => c.action === 'created' && c.kind === o.kind && c.name === o.name && (c.namespace ?? '') === (o.namespace ?? ''));
    return { ...base, verb: created || o.verb === 'create' ? 'create' as const : o.changed ? 'update' as const : 'apply' as const };
  });
}

function matches(want: ExpectedOp, got: LabelledOp): boolean {
  if (want.resource !== got.resource || (want.name !== undefined && want.name !== got.name)) return false;
  // `apply` is server-side apply whatever it did; older files say `create` for a first apply.
  if (want.verb === 'apply') return got.verb === 'create' || got.verb === 'update' || got.verb === 'apply';
  return want.verb === got.verb;
}

const fmt = (o: { verb: string; resource: string; name?: string }) => `${o.verb} ${o.resource}${o.name ? `/${o.name}` : ''}`;

function checkOne(label: string, cycles: readonly Cycle[], want: Omit<Expectations, 'crds'>, onlyCrd: string | undefined, exists: (resource: string, name?: string) => boolean): string[] {
  const failures: string[] = [];
  const crsOf = (c: Cycle) => c.crs.filter((x) => onlyCrd === undefined || x.crd === onlyCrd);
  for (const w of want.ops ?? []) {
    const cycle = cycles.find((c) => c.n === w.cycle);
    if (!cycle) {
      failures.push(`${label}expected ${fmt(w)} in cycle ${w.cycle}, but only ${cycles.length} cycle(s) ran`);
      continue;
    }
    const got = crsOf(cycle).flatMap(labelled);
    if (!got.some((g) => matches(w, g))) {
      failures.push(`${label}expected ${fmt(w)} in cycle ${w.cycle}; it had: ${got.length > 0 ? got.map((g) => `${g.verb} ${g.resource}/${g.name}`).join(', ') : 'no operations'}`);
    }
  }
  const last = cycles[cycles.length - 1];
  if (want.steady && last) {
    const changed = crsOf(last).flatMap(labelled).filter((o) => o.changed);
    if (changed.length > 0) failures.push(`${label}expected a steady state by cycle ${last.n}; it still changed: ${changed.map((g) => `${g.verb} ${g.resource}/${g.name}`).join(', ')}`);
  }
  if (want.noErrors) {
    for (const c of cycles) {
      for (const cr of crsOf(c)) {
        const problems = [...cr.issues.map((i) => i.message), ...(cr.error && cr.issues.length === 0 ? [cr.error] : [])];
        if (problems.length > 0) failures.push(`${label}expected no errors; cycle ${c.n}, ${cr.key}: ${problems.join('; ')}`);
      }
    }
  }
  for (const a of want.absent ?? []) {
    if (exists(a.resource, a.name)) failures.push(`${label}expected no ${a.resource}${a.name ? `/${a.name}` : ''} after the last cycle, but it exists`);
  }
  return failures;
}

/** Every unmet expectation; `objects(resource)` lists what the cluster holds at the end. */
export function checkExpectations(cycles: readonly Cycle[], expect: Expectations, objects: (resource: string) => KubeObject[]): string[] {
  const exists = (resource: string, name?: string) => objects(resource).some((o) => name === undefined || o.metadata?.name === name);
  const failures = checkOne('', cycles, expect, undefined, exists);
  for (const [crd, want] of Object.entries(expect.crds ?? {})) failures.push(...checkOne(`${crd}: `, cycles, want, crd, exists));
  return failures;
}
