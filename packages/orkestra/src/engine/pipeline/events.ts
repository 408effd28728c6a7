// Stage "events": one Kubernetes Event per change a reconcile made, and one for its outcome.
// A terminal problem (only an edit fixes it) is evented once per distinct message, not on every
// resync that meets it again.
import { summary } from '../errors.ts';
import type { ReconcileScope } from '../scope.ts';

export function emitChanges(scope: ReconcileScope): void {
  const { box, cr } = scope;
  const drift = cr.metadata?.generation !== undefined && (cr.status as { observedGeneration?: number } | undefined)?.observedGeneration === cr.metadata.generation;
  for (const c of scope.changes) {
    const what = `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
    if (c.action === 'created') box.events.emit(cr, 'Normal', 'Created', 'Apply', `Created ${what}`);
    else if (c.action === 'deleted') box.events.emit(cr, 'Normal', 'Deleted', 'Apply', scope.cr.metadata?.deletionTimestamp ? `Deleted ${what}` : `Deleted ${what}: its when: condition is false`);
    else if (drift) box.events.emit(cr, 'Normal', 'DriftCorrected', 'Apply', `Corrected drift on ${what}${c.field ? ` (${c.field})` : ''}`);
    else box.events.emit(cr, 'Normal', 'Updated', 'Apply', `Updated ${what}${c.field ? ` (${c.field})` : ''}`);
  }
}

/**
 * The outcome event. `lastTerminal` is the box's memory of the terminal message last evented per
 * CR key; it is cleared when the CR reconciles cleanly.
 */
export function emitOutcome(scope: ReconcileScope, lastTerminal: Map<string, string>, terminal: boolean): void {
  const { box, cr, key } = scope;
  if (scope.issues.length === 0) {
    lastTerminal.delete(key);
    if (scope.changes.length > 0) box.events.emit(cr, 'Normal', `${box.kind}Reconciled`, 'Reconcile', `Successfully reconciled ${box.describe(cr)}`);
    return;
  }
  const message = summary(scope.issues);
  if (terminal) {
    if (lastTerminal.get(key) === message) return;
    lastTerminal.set(key, message);
  }
  box.events.emit(cr, 'Warning', `${box.kind}ReconcileError`, 'Reconcile', message);
}
