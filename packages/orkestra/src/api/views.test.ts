import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crSummary } from './views.ts';

test('a CR summary shows the ValidationWarning condition of warn rules, and nothing when there is none', () => {
  const cr = (conditions: unknown[]) => ({ apiVersion: 'g/v1', kind: 'Web', metadata: { name: 'w', namespace: 'd' }, status: { conditions } });
  const ready = { type: 'Ready', status: 'True', reason: 'ReconcileSucceeded', message: '' };
  assert.equal(crSummary(cr([ready, { type: 'ValidationWarning', status: 'True', message: 'pin the image tag' }])).warnings, 'pin the image tag');
  assert.equal(crSummary(cr([ready])).warnings, undefined);
});
