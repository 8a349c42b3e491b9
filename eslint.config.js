// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const PURE_SHARED_MESSAGE = 'shared/ is pure: it imports zod and itself only (no I/O, no UI, no Node APIs).';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '**/dist/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    files: ['shared/src/**/*.ts'],
    ignores: ['shared/src/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!zod$|\\.{1,2}/).*', message: PURE_SHARED_MESSAGE },
            { group: ['**/apps/**', '**/connectors/**', '**/sandbox/**'], message: PURE_SHARED_MESSAGE },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'fetch',
          'process',
          'setTimeout',
          'setInterval',
          'performance',
          'crypto',
        ].map((name) => ({ name, message: PURE_SHARED_MESSAGE })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'shared/ takes the time as an argument.' },
        { object: 'Math', property: 'random', message: 'shared/ takes randomness as an argument.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'shared/ takes the time as an argument.',
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js'],
    ignores: ['shared/**', 'connectors/src/salesforce/**', '**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'jsforce', message: 'Only connectors/src/salesforce/ talks to jsforce.' }] },
      ],
    },
  },
  {
    files: ['bin/**', 'scripts/**', '**/bench/**', '**/cli/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
