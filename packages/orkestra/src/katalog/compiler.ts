// The default template compiler: src/template's `compile` (the loader takes another in tests).
import { compile } from '../template/index.ts';
import type { TemplateCompiler } from './templates.ts';

export function defaultTemplateCompiler(): TemplateCompiler {
  return { compile };
}
