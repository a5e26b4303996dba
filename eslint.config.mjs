// Lint rules that keep the runtime layers honest (see docs/ARCHITECTURE.md):
// src/common imports no `vscode` at run time and nothing outside src/common;
// src/node imports nothing from src/vscode or src/webview; src/webview imports only src/common/protocol.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Every Node built-in, bare and `node:`-prefixed, and every package that does I/O: a list of a few names leaks,
// a rule over all of them does not. Only src/node (and src/vscode, which is the host) may use them.
// Bare names go in `paths` (exact names: a pattern `events` would also match our own `./events`).
const builtinPaths = (message) => builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message }));
const IO_PACKAGES = ['node:*', 'openai', 'openai/*', '@anthropic-ai/sdk', '@anthropic-ai/sdk/*', 'proper-lockfile', 'playwright-core', 'playwright-core/*', 'mocha', 'tsx', 'tsx/*'];
// No shipped code imports the tests or their fixtures.
const NO_TEST = { group: ['**/test/**', '**/bench/**', '**/scripts/**'], message: 'src must not import tests, benchmarks or scripts.' };

const restrict = (patterns, extra = {}) => ['error', { paths: extra.paths ?? [], patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test-host/**', '.vscode-test/**', 'test-results/**', 'test/fixtures/workspaces/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      // `import { z } from 'zod'` keeps all of zod (every locale) in each bundle; `import * as z` lets esbuild drop the rest.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
          message: "Use import * as z from 'zod': the z object keeps all of zod in the bundle.",
        },
      ],
    },
  },
  {
    files: ['src/common/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        [
          { group: ['**/node/**', '**/vscode/**', '**/webview/**'], message: 'src/common may import only src/common.' },
          { group: IO_PACKAGES, message: 'src/common is pure: no Node built-ins and no I/O packages (use a port).' },
          NO_TEST,
        ],
        {
          paths: [
            { name: 'vscode', message: 'src/common must not import vscode at run time (type-only imports are allowed).', allowTypeImports: true },
            ...builtinPaths('src/common is pure: no Node built-ins (use a port).'),
          ],
        },
      ),
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        [{ group: ['**/vscode/**', '**/webview/**'], message: 'src/node may import only src/common and Node.' }, NO_TEST],
        { paths: [{ name: 'vscode', message: 'src/node must not import vscode.', allowTypeImports: true }] },
      ),
    },
  },
  {
    files: ['src/webview/**/*.ts', 'src/webview/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        [
          { group: ['**/common/*', '!**/common/protocol', '**/common/*/**', '!**/common/protocol/**'], message: 'Webview code may import only src/common/protocol from the shared code.' },
          { group: ['**/node/**', '**/vscode/**'], message: 'Webview code runs in the browser: only src/common/protocol and UI libraries.' },
          { group: IO_PACKAGES, message: 'Webview code runs in the browser: no Node built-ins and no I/O packages.' },
          NO_TEST,
        ],
        { paths: [{ name: 'vscode', message: 'Webview code cannot use the vscode API.' }, ...builtinPaths('Webview code runs in the browser: no Node built-ins.')] },
      ),
      'no-console': 'off',
    },
  },
  {
    files: ['src/vscode/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([
        { group: ['**/webview/**'], message: 'The host does not import webview code; both speak src/common/protocol.' },
        NO_TEST,
      ]),
    },
  },
  {
    // What activation loads (dist/extension.js) stays small: these files import only `vscode`, `node:path` and each
    // other at run time; the rest of SALE comes with the core (dist/core.js), loaded after activate() returns.
    files: ['src/vscode/extension.ts', 'src/vscode/coreLoader.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([
        { regex: '^(?!(vscode|node:path|\\./coreLoader)$)', allowTypeImports: true, message: 'The entry bundle loads at activation: import the rest of SALE in the core (core.ts), or as a type only.' },
      ]),
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.mjs', 'scripts/**/*.mjs', 'scripts/**/*.ts', 'bench/**/*.ts', 'bench/**/*.mjs', 'eslint.config.mjs'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: false }, globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortController: 'readonly' } },
  },
  {
    // A plain CommonJS test extension loaded by VS Code as is (no build step).
    files: ['test/fixtures/lm-provider-extension/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
