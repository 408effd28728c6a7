import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.testenv/**', 'testenv/go/**', 'docs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  // Dependencies point inward (docs: shared design, "House style"): the CLI and the HTTP API sit
  // on the engine; the engine sits on the Katalog, templates, conditions and the kube ports.
  {
    files: ['packages/orkestra/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(cli|api)/', message: 'the engine never imports the CLI or the HTTP API: they depend on it, not the other way round' }] }],
    },
  },
  {
    files: ['packages/orkestra/src/rules/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(engine|cli|api|kube)/', message: 'rules are pure: shared by the reconcile stages and the admission webhooks, they never import the engine, the CLI, the HTTP API or Kubernetes I/O' }] }],
    },
  },
  {
    files: ['packages/orkestra/src/{kube,template,conditions,katalog}/**/*.ts'],
    // A test may drive an outer layer end to end (the validate command over the loader).
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(engine|cli|api)/', message: 'kube, template, conditions and katalog are inner layers: they never import the engine, the CLI or the HTTP API' }] }],
    },
  },
);
