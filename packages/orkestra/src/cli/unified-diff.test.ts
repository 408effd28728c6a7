import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unifiedDiff } from './unified-diff.ts';

test('unified diff: equal texts give nothing; one changed line gives one hunk with context', () => {
  assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y'), '');
  const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n') + '\n';
  const after = before.replace('5', 'five');
  assert.equal(unifiedDiff(before, after, 'live', 'desired'), [
    '--- live', '+++ desired', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', '',
  ].join('\n'));
});

test('unified diff: creation and deletion against an empty side', () => {
  assert.equal(unifiedDiff('', 'a\nb\n', '/dev/null', 'new'), '--- /dev/null\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  assert.equal(unifiedDiff('a\n', '', 'old', '/dev/null'), '--- old\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
});

test('unified diff: distant changes are separate hunks, near ones merge', () => {
  const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n') + '\n';
  const after = before.replace('l1\n', 'L1\n').replace('l18\n', 'L18\n');
  const d = unifiedDiff(before, after, 'a', 'b');
  assert.equal(d.split('\n').filter((l) => l.startsWith('@@')).length, 2);
  const near = before.replace('l5\n', 'L5\n').replace('l9\n', 'L9\n');
  assert.equal(unifiedDiff(before, near, 'a', 'b').split('\n').filter((l) => l.startsWith('@@')).length, 1);
});
