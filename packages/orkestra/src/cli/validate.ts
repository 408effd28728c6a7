// `ork validate [-k FILE] [--output text|json]`: load a Katalog offline and report every problem.
import type { Command } from 'commander';
import { formatDiagnostic } from '../katalog/diagnostics.ts';
import type { Diagnostic, Katalog, LoadOptions } from '../katalog/index.ts';

export interface ValidateOutcome {
  exitCode: 0 | 1;
  /** What the command prints on stdout (summary or JSON). */
  stdout: string;
  /** What it prints on stderr (errors and warnings, text mode). */
  stderr: string;
}

export interface ValidateOptions extends LoadOptions {
  output?: 'text' | 'json';
  /** Paths in messages are shown relative to this directory (default: process.cwd()). */
  cwd?: string;
}

// No providers line: a Katalog that declares providers does not load (not supported yet), and a
// summary must never list something as if the runtime would run it.
interface Summary {
  katalog: string;
  crds: { name: string; kind: string; group: string; version: string; resources: Record<'onCreate' | 'onReconcile' | 'onDelete', number> }[];
  kinds: string[];
  resources: Record<'onCreate' | 'onReconcile' | 'onDelete', number>;
}

function summarize(k: Katalog): Summary {
  const resources = { onCreate: 0, onReconcile: 0, onDelete: 0 };
  const kinds = new Set<string>();
  const crds = k.crds.map((c) => {
    const box = c.operatorBox;
    const count = (h: typeof box.onCreate) => h.resources.length + h.groups.reduce((n, g) => n + g.resources.length, 0);
    const r = { onCreate: count(box.onCreate), onReconcile: count(box.onReconcile), onDelete: count(box.onDelete) };
    for (const h of [box.onCreate, box.onReconcile, box.onDelete]) {
      for (const d of [...h.resources, ...h.groups.flatMap((g) => g.resources)]) kinds.add(d.kind);
    }
    resources.onCreate += r.onCreate;
    resources.onReconcile += r.onReconcile;
    resources.onDelete += r.onDelete;
    return { name: c.name, kind: c.apiTypes.kind, group: c.apiTypes.group, version: c.apiTypes.version, resources: r };
  });
  return { katalog: k.metadata.name, crds, kinds: [...kinds].sort(), resources };
}

const plain = (d: Diagnostic) => ({ severity: d.severity, file: d.file, line: d.line, column: d.column, path: d.path, message: d.message, code: d.code });

/** Validates a Katalog file; the CLI action and the tests call this. */
export async function validateKatalog(file: string, options: ValidateOptions = {}): Promise<ValidateOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const loadOptions: LoadOptions = {};
  if (options.env !== undefined) loadOptions.env = options.env;
  if (options.compiler !== undefined) loadOptions.compiler = options.compiler;
  // Loaded on demand: the schema is heavy, and other commands never need it.
  const { loadKatalog } = await import('../katalog/loader.ts');
  const r = await loadKatalog(file, loadOptions);
  const errors = r.ok ? [] : r.errors;
  if (options.output === 'json') {
    const body = r.ok
      ? { valid: true, summary: summarize(r.katalog), errors: [], warnings: r.warnings.map(plain) }
      : { valid: false, errors: errors.map(plain), warnings: r.warnings.map(plain) };
    return { exitCode: r.ok ? 0 : 1, stdout: JSON.stringify(body, null, 2) + '\n', stderr: '' };
  }
  const stderr = [...errors, ...r.warnings].map((d) => formatDiagnostic(d, cwd) + '\n').join('');
  if (!r.ok) {
    const n = errors.length;
    return { exitCode: 1, stdout: '', stderr: `${stderr}${n} error${n === 1 ? '' : 's'}${r.warnings.length ? `, ${r.warnings.length} warning(s)` : ''}\n` };
  }
  const s = summarize(r.katalog);
  const lines = [
    `✓ ${file}: Katalog ${s.katalog} is valid`,
    `  CRDs:      ${s.crds.length} (${s.crds.map((c) => `${c.name} → ${c.kind}.${c.group}/${c.version}`).join(', ') || 'none'})`,
    `  kinds:     ${s.kinds.join(', ') || 'none'}`,
    `  resources: onCreate ${s.resources.onCreate}, onReconcile ${s.resources.onReconcile}, onDelete ${s.resources.onDelete}`,
  ];
  if (r.warnings.length > 0) lines.push(`  ${r.warnings.length} warning(s) on stderr`);
  return { exitCode: 0, stdout: lines.join('\n') + '\n', stderr };
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Validate a Katalog offline: schema, keys not supported yet, conditions, templates, files')
    .option('-k, --katalog <file>', 'Katalog file', 'katalog.yaml')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (opts: { katalog: string; output: string }) => {
      if (opts.output !== 'text' && opts.output !== 'json') {
        console.error(`ork validate: --output must be text or json, got ${opts.output}`);
        process.exitCode = 2;
        return;
      }
      const outcome = await validateKatalog(opts.katalog, { output: opts.output });
      if (outcome.stdout) process.stdout.write(outcome.stdout);
      if (outcome.stderr) process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}
