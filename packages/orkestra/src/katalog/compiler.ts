// The default template compiler: src/template's `compile`. Resolved lazily so the loader can be
// used (and unit-tested) with another compiler, or none.
import { createRequire } from 'node:module';
import type { TemplateCompiler } from './templates.ts';

let cached: TemplateCompiler | null | undefined;

export function defaultTemplateCompiler(): TemplateCompiler | null {
  if (cached !== undefined) return cached;
  try {
    const mod = createRequire(import.meta.url)('../template/index.ts') as Partial<TemplateCompiler>;
    cached = typeof mod.compile === 'function' ? { compile: mod.compile } : null;
  } catch {
    cached = null;
  }
  return cached;
}
