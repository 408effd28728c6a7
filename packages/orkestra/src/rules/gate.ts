// A rule's `when:` / `or:` that is false because a condition could not be evaluated (a template
// error, a bad regex): the rule's outcome is unknown, which must not read as "does not apply".
import type { Evaluation } from '../conditions/evaluate.ts';

export function gateProblem(rulePath: string, gate: Evaluation): { path: string; message: string } | undefined {
  const broken = gate.results.find((r) => r.error !== undefined);
  if (!broken) return undefined;
  const path = `${rulePath}.${broken.block}[${broken.index}]`;
  return { path, message: `${path}: ${broken.error}` };
}
