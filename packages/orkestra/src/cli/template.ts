// `ork template`: render templates the way the runtime does, for authoring and debugging.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYAML } from 'yaml';
import { compile, functionNames, seededRandom, type ExecOptions } from '../template/index.ts';

export interface EvalOptions {
  cr?: string;
  data?: string;
  dataFile?: string;
  /** Raw Go semantics with this missingkey option instead of Katalog rendering. */
  go?: 'default' | 'zero' | 'error';
  /** Seed for random functions (e.g. the CR's UID) so output is reproducible. */
  seed?: string;
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

function loadData(o: EvalOptions): unknown {
  const given = [o.cr, o.data, o.dataFile].filter((x) => x !== undefined).length;
  if (given > 1) throw new Error('give only one of --cr, --data, --data-file');
  if (o.data !== undefined) return JSON.parse(o.data) as unknown;
  const file = o.cr ?? o.dataFile;
  if (file === undefined) return {};
  const text = readFileSync(file, 'utf8');
  return parseYAML(text) as unknown; // YAML is a superset of JSON
}

/** Renders one template and prints it; returns the exit code (errors go to err with code 1). */
export function evalTemplate(source: string, o: EvalOptions, io: Io = stdio): number {
  try {
    const data = loadData(o);
    const t = compile(source, { name: 'eval' });
    for (const w of t.warnings) io.err(`warning: ${w}\n`);
    const meta = (data as { metadata?: { uid?: unknown; name?: unknown; namespace?: unknown }; kind?: unknown } | null)?.metadata;
    const opts: ExecOptions = {
      random: o.seed !== undefined ? seededRandom(o.seed) : undefined,
      context: meta?.name !== undefined ? `${String((data as { kind?: unknown }).kind ?? 'object')} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)}` : undefined,
      missingKey: o.go,
    };
    const out = o.go ? t.execute(data, opts) : t.render(data, opts);
    io.out(out + '\n');
    return 0;
  } catch (e) {
    io.err(`ork template eval: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

export function registerTemplate(program: Command): void {
  const cmd = program.command('template').description('Render and inspect Katalog templates');
  cmd
    .command('eval')
    .description('Render TEMPLATE against a CR (Katalog semantics) and print the result')
    .argument('<template>', 'template source, e.g. "{{ .metadata.name }}-svc"')
    .option('--cr <file>', 'CR as YAML or JSON')
    .option('--data <json>', 'data as inline JSON')
    .option('--data-file <file>', 'data as a YAML or JSON file')
    .option('--go <missingkey>', 'raw Go text/template semantics with missingkey=default|zero|error')
    .option('--seed <seed>', 'seed random functions (e.g. with the CR uid) for reproducible output')
    .action((source: string, o: EvalOptions) => {
      process.exitCode = evalTemplate(source, o);
    });
  cmd
    .command('functions')
    .description('List the template functions')
    .action(() => {
      process.stdout.write(functionNames().join('\n') + '\n');
    });
}
