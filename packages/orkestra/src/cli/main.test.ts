import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from './main.ts';

test('the CLI knows its commands', () => {
  const names = buildProgram().commands.map((c) => c.name());
  for (const n of ['validate', 'template', 'run']) assert.ok(names.includes(n), `missing command ${n}`);
});
