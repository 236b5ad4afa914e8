// ESLint flat config: `npm run lint` (= `eslint .`) over the whole package.
// TypeScript uses typescript-eslint's recommended rules without type
// information (fast; `npm run typecheck` does the type checking).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'lib/',
      'dist/',
      'node_modules/',
      'custom-elements.json',
      'data/',
      '.data/',
      'docs/images/',
      'test-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Libraries log through their logger (server) or events (widget);
      // warn/error stay for the few things a developer must see.
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  // Browser code: the widget, its tests, and scripts that run functions in a page.
  {
    files: ['widget/**/*.ts', 'test/widget/**/*.ts', 'test/e2e/**/*.ts', 'scripts/screenshots.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Node code: server, tests, scripts, configs, the CLI shim.
  {
    files: [
      'server/**/*.ts',
      'protocol/**/*.ts',
      'test/server/**/*.ts',
      'test/e2e/**/*.ts',
      'test/scale/**/*.ts',
      'bench/**/*.ts',
      'bench/**/*.{js,mjs}',
      'scripts/**/*.{js,mjs}',
      'bin/**/*.js',
      '*.{js,mjs}',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  // Programs whose job is to print: the CLI, build scripts, benchmarks, tests.
  {
    files: [
      'server/cli.ts',
      'scripts/**',
      'bin/**',
      'bench/**',
      'test/**',
      '*.{js,mjs}',
    ],
    rules: { 'no-console': 'off' },
  },
);
