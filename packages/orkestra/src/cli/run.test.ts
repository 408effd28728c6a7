import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startOperator } from './run.ts';

const quiet = pino({ level: 'silent' });

test('ork run stops at start on a key the runtime would ignore, with the same message as ork validate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ork-run-'));
  const file = join(dir, 'katalog.yaml');
  writeFileSync(file, `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: deny}
spec:
  crds:
    website:
      apiTypes: {group: demo.orkestra.io, version: v1, kind: Website, plural: websites}
      validation:
        rules: [{field: spec.image, prefix: "myorg/", message: "images come from myorg/"}]
      operatorBox:
        onCreate:
          deployments: [{name: web, image: "{{ .spec.image }}"}]
`);
  // No kubeconfig exists at this path: the refusal must come before any cluster access.
  await assert.rejects(startOperator({ katalog: file, kubeconfig: join(dir, 'absent'), logger: quiet }), (err: Error) => {
    assert.match(err.message, new RegExp(`${file.replaceAll('.', '\\.')}:8:7: error: not supported yet: spec\\.crds\\.website\\.validation`));
    return true;
  });
});
