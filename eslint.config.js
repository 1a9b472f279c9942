import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const infrastructure = [
  'express',
  '@google-cloud/*',
  'jose',
  'nodemailer',
  'node:*',
  '@orderflow/platform',
  '@orderflow/platform/*',
  '@orderflow/subscriber',
  '@orderflow/subscriber/*',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.local/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain is pure: no Node, no HTTP, no cloud clients.
    files: ['services/*/src/domain/**/*.ts', 'libs/events/src/**/*.ts', 'libs/topology/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...infrastructure, '!@orderflow/platform/errors'],
              message: 'Domain code stays free of infrastructure.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
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
