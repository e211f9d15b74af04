// @ts-check
/**
 * Lint rules for the whole repository: typescript-eslint's type-aware checks (a promise nobody
 * awaits or catches, a promise where a callback returning void is expected, …) and the layering
 * rules CONTRIBUTING.md describes, so a boundary is kept by the linter instead of by memory.
 * tests/unit/lint-boundaries.test.ts proves the boundary rules reject what they should.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Every Node built-in by exact name (a pattern like `domain` would also match `../shared/domain`). */
const nodeBuiltins = (message) => builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message }));
const NODE_MESSAGE = 'Browser code: no Node built-ins here (the host does file and process work behind the contract).';
const nodePrefixed = { group: ['node:*'], message: NODE_MESSAGE };
const electronModule = {
  // A regex, not a group: a gitignore-style `electron` would also match `../electron/core/…`.
  regex: '^electron(/.*)?$',
  message: 'Only electron/main.ts, electron/preload.ts and electron/desktop/ may import Electron.',
};
const hostCode = {
  group: ['**/electron/**'],
  message: 'The renderer reaches the host only through the contract (shared/) and window.sluice.',
};
/** The renderer's bridge module (`renderer/src/api/`): only main.tsx hands it to `startSluice`. */
const apiModule = {
  group: ['**/api', '**/api/**'],
  message:
    'Components reach the host through the state slices (renderer/src/state/, host() in state/host.ts); only main.tsx imports the api module.',
};
const rendererCode = {
  group: ['**/renderer/**'],
  message: 'The host never imports renderer code; share it through shared/ instead.',
};
const desktopCode = {
  group: [
    '**/desktop/**',
    '**/electron/main',
    '**/electron/main.js',
    '**/electron/preload',
    '**/electron/preload.js',
    '../main.js',
    '../../main.js',
  ],
  message: 'electron/core/ and electron/web/ stay plain Node: the Electron adapter imports them, not the other way round.',
};
const webCode = {
  group: ['**/web/**'],
  message: 'electron/core/ does not depend on the web-mode bridge; the bridge depends on core.',
};

/** One folder's `no-restricted-imports` (a later matching config replaces the rule, so each folder lists all it forbids). */
function restrict({ paths = [], patterns = [] }) {
  return ['error', { paths, patterns }];
}

/** Every TypeScript program of the repository, first match wins: the renderer's (DOM only) before the Node ones. */
const PROJECTS = ['./renderer/tsconfig.json', './tsconfig.json', './tsconfig.electron.json'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '.tmp/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: PROJECTS, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `const { [key]: _gone, ...rest } = record` drops a key: the underscore says it is unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    // Fake servers and assertions read wire JSON (`JSON.parse`, request bodies) whose shape the
    // test itself asserts; typing every such body would repeat the assertion. Fake handlers are
    // `async` to match the interface they fake, with nothing to await.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': restrict({
        paths: nodeBuiltins(NODE_MESSAGE),
        patterns: [nodePrefixed, electronModule, hostCode, apiModule],
      }),
    },
  },
  {
    // The bridge itself, and the one place that connects it to the state.
    files: ['renderer/src/main.tsx', 'renderer/src/api/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({ paths: nodeBuiltins(NODE_MESSAGE), patterns: [nodePrefixed, electronModule, hostCode] }),
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({
        paths: nodeBuiltins('shared/ runs in the renderer too: no Node built-ins.'),
        patterns: [
          { ...nodePrefixed, message: 'shared/ runs in the renderer too: no Node built-ins.' },
          { ...electronModule, message: 'shared/ is the contract: no Electron.' },
          {
            group: ['**/electron/**', '**/renderer/**', '**/tests/**'],
            message: 'shared/ imports nothing from the host, the renderer or the tests.',
          },
        ],
      }),
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ patterns: [electronModule, rendererCode, desktopCode, webCode] }) },
  },
  {
    files: ['electron/web/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ patterns: [electronModule, rendererCode, desktopCode] }) },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts', 'electron/desktop/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ patterns: [rendererCode] }) },
  },
);
