// Commands of the seed README (and the reference's CLI) that this `ork` does not have yet. Help
// lists them, and running one says so instead of "unknown command". When a command lands, delete
// its line; a registered command of the same name wins over its entry anyway, so the list can
// never hide a real command.
import type { Command } from 'commander';

export const NOT_BUILT_YET: readonly { name: string; what: string }[] = [
  { name: 'init', what: 'scaffold a new operator project from an example pack' },
  { name: 'generate', what: 'generate the type registry, Kubernetes manifests (bundle), RBAC, CRDs' },
  { name: 'control', what: 'start, stop or reload the Control Center' },
];

/** Stubs for the commands not built yet, and the help section that lists them. */
export function registerNotBuilt(program: Command): void {
  const missing = NOT_BUILT_YET.filter((c) => !program.commands.some((cmd) => cmd.name() === c.name));
  for (const c of missing) {
    program
      .command(c.name, { hidden: true })
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        console.error(`ork ${c.name}: not built yet (${c.what}); see \`ork --help\` for the commands there are`);
        process.exitCode = 1;
      });
  }
  if (missing.length === 0) return;
  const width = Math.max(...missing.map((c) => c.name.length));
  program.addHelpText('after', `\nNot built yet (commands of the original ork):\n${missing.map((c) => `  ${c.name.padEnd(width)}  ${c.what}`).join('\n')}\n`);
}
