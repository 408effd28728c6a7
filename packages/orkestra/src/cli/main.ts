// The `ork` command line. Each command lives in its own file and registers itself here.
import { Command, CommanderError } from 'commander';
import { registerValidate } from './validate.ts';
import { registerTemplate } from './template.ts';
import { registerRun } from './run.ts';
import { registerPlan } from './plan.ts';
import { registerSimulate } from './simulate.ts';
import { registerVersion, versionText } from './version.ts';
import { registerNotBuilt } from './not-built.ts';

export function buildProgram(): Command {
  const program = new Command('ork')
    .description('Orkestra: run Kubernetes operators declared in a Katalog')
    // Handled in main() before parsing: the commit is looked up only when asked for.
    .option('-V, --version', 'print the version, the commit and the Node.js version')
    .exitOverride()
    .showHelpAfterError();
  registerValidate(program);
  registerTemplate(program);
  registerRun(program);
  registerPlan(program);
  registerSimulate(program);
  registerVersion(program);
  // Last: it lists (and stubs) only the names no command above has taken.
  registerNotBuilt(program);
  return program;
}

/** Runs the CLI and returns the process exit code (commands set it through their action results). */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(versionText());
    return 0;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
