// The function table: Go's builtins, sprig-style functions, then the Katalog library, which
// wins on name clashes (argument orders differ; see docs/templates.md).
import { registerBuiltins } from './builtins.ts';
import { registerKatalog } from './katalog.ts';
import { registerSprig } from './sprig.ts';
import type { FuncTable } from './types.ts';

export function buildFunctionTable(): FuncTable {
  const t: FuncTable = new Map();
  registerBuiltins(t);
  registerSprig(t);
  registerKatalog(t);
  return t;
}
