// The function table: Go's builtins, then the Katalog library (which wins on name clashes).
import { registerBuiltins } from './builtins.ts';
import type { FuncTable } from './types.ts';

export function buildFunctionTable(): FuncTable {
  const t: FuncTable = new Map();
  registerBuiltins(t);
  return t;
}
