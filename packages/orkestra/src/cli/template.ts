import type { Command } from 'commander';

export function registerTemplate(program: Command): void {
  program.command('template').description('(not implemented yet)').action(() => {
    console.error('ork template: not implemented yet');
    process.exitCode = 2;
  });
}
