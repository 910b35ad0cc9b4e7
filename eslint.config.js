// Lint, and the module boundaries of ../README.md "Design notes" enforced as import rules.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const restrict = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: groups.map((g) => ({ group: g, message })) }],
})

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', 'data/**', 'docs/**', '.tally-build/**'] },
  // The package's Lightning web components are plain JS with LWC decorators (@wire), which this
  // parser cannot read; Salesforce lints them with @salesforce/eslint-config-lwc, not installed
  // here. LWC Jest (`npm run test:lwc`) compiles every one of them with the LWC compiler instead.
  // The same holds for the screenshot harness's stand-ins for the lightning base components.
  { ignores: ['salesforce/force-app/**/lwc/**', 'salesforce/screenshots/modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // Emulators are written from the vendors' documentation, never from our client's types.
    files: ['emulators/**/*.ts'],
    // The exceptions are the HTTP listener (src/lib/http-server.ts) and the finding of the
    // repository's folder (src/lib/package-root.ts): the product owns them, and they know nothing
    // of either vendor.
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)src/(?!lib/(http-server|package-root)\\.js$)', message: 'Emulators must not import Tally code (src/) other than src/lib/http-server and src/lib/package-root.' }] },
      ],
    },
  },
  {
    // The engine is pure logic behind its ports.
    files: ['src/sync/**/*.ts'],
    rules: restrict(
      [['**/qbo/**', '**/salesforce/**', '**/store/**', '**/jobs/**', '**/hub/**', '**/cli/**', '**/config/**', '**/emulators/**', 'jsforce', 'kysely', 'hono', 'pg', 'better-sqlite3', 'node:fs', 'node:http']],
      'src/sync is pure: it may import only src/lib and its own modules (ports.ts).',
    ),
  },
  {
    files: ['src/qbo/**/*.ts'],
    rules: restrict([['**/salesforce/**', '**/store/**', '**/sync/**', '**/jobs/**', '**/hub/**', '**/cli/**', '**/emulators/**']], 'The QBO client knows nothing of Salesforce, the store or the engine.'),
  },
  {
    files: ['src/salesforce/**/*.ts'],
    rules: restrict([['**/qbo/**', '**/store/**', '**/sync/**', '**/jobs/**', '**/hub/**', '**/cli/**', '**/emulators/**']], 'The Salesforce client knows nothing of QBO, the store or the engine.'),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict([['**/qbo/**', '**/salesforce/**', '**/sync/**', '**/jobs/**', '**/hub/**', '**/cli/**', '**/emulators/**']], 'The store knows nothing of the clients or the engine.'),
  },
  {
    files: ['src/lib/**/*.ts', 'src/config/**/*.ts'],
    rules: restrict([['**/qbo/**', '**/salesforce/**', '**/store/**', '**/sync/**', '**/jobs/**', '**/hub/**', '**/cli/**', '**/emulators/**']], 'lib and config depend on nothing else in Tally.'),
  },
  {
    // Only the composition root reads the environment.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/main.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/main.ts reads process.env; take configuration as a parameter.' }],
    },
  },
)
