// Kubernetes objects from a YAML file given on the command line (`--cr`, `--objects`, a Simulate
// file's CRs and CRDs): every problem is a Diagnostic with file:line:column, like a Katalog's.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Diagnostic, SourcePos } from './model.ts';
import { DocPositions, parseYamlFile } from './source.ts';
import { issuesToDiagnostics } from './issues.ts';

export interface FileObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface ObjectsFile {
  file: string;
  objects: { object: FileObject; pos: SourcePos }[];
  errors: Diagnostic[];
}

const nonEmpty = z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' });
const objectSchema = z.looseObject({
  apiVersion: nonEmpty,
  kind: nonEmpty,
  metadata: z.looseObject({ name: nonEmpty, namespace: nonEmpty.optional() }),
});

export function parseObjects(text: string, file: string): ObjectsFile {
  const parsed = parseYamlFile(file, text);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  const objects: ObjectsFile['objects'] = [];
  if (errors.length > 0) return { file, objects, errors };
  for (const doc of parsed.docs) {
    const where = new DocPositions(parsed, doc);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document between `---`
    const r = objectSchema.safeParse(value);
    if (!r.success) {
      errors.push(...issuesToDiagnostics(r.error.issues, objectSchema, value, where));
      continue;
    }
    objects.push({ object: value as FileObject, pos: where.at([]) });
  }
  if (objects.length === 0 && errors.length === 0) {
    errors.push({ severity: 'error', file, line: 1, column: 1, path: '', code: 'no-objects', message: 'no Kubernetes object in this file' });
  }
  return { file, objects, errors };
}

export async function readObjectsFile(file: string): Promise<ObjectsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : err instanceof Error ? err.message : String(err);
    return { file, objects: [], errors: [{ severity: 'error', file, line: 1, column: 1, path: '', code: 'file', message: why }] };
  }
  return parseObjects(text, file);
}
