import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Pure code may use platform errors and money formatting, and types from anywhere.
const infrastructure =
  '^(express|jose|nodemailer|node:.*|@google-cloud/.*|@orderflow/subscriber.*|@orderflow/platform(?!/(errors|money)$).*)$';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.local/**', 'services/*/bundle/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
    },
  },
  {
    // Google's client libraries load on first use (libs/platform/src/gcp.ts), so that a start
    // answers /healthz without them: elsewhere in the services, their types only.
    files: ['services/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['libs/platform/src/gcp.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@google-cloud/',
              allowTypeImports: true,
              message: 'Types only: take values from firestoreLibrary() or pubsubLibrary().',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: no Node, no HTTP, no cloud clients.
    files: [
      'services/*/src/domain/**/*.ts',
      'libs/events/src/**/*.ts',
      'libs/topology/src/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: infrastructure,
              allowTypeImports: true,
              message: 'Domain code stays free of infrastructure.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.d.mts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The console page's script runs in the browser, beside htmx and Chart.js.
    files: ['tools/src/console/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser, Chart: 'readonly' } },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // chai's property assertions (`expect(x).to.be.true`) read as unused expressions.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
