// Public surface of the Katalog module: load a Katalog file into the normalized model.
export { loadKatalog, loadKatalogText } from './loader.ts';
export type { LoadOptions } from './loader.ts';
export type { TemplateCompiler } from './templates.ts';
export { formatDiagnostic, closest, levenshtein } from './diagnostics.ts';
export { katalogSchema } from './schema.ts';
export { katalogJsonSchema } from './jsonschema.ts';
export * from './model.ts';
