import { defineConfig } from 'vitest/config';

// One config for the test runner (projects below) and, later, the sidebar build.
export default defineConfig({
  test: {
    reporters: ['default', './scripts/test-setup/closing-line-reporter.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['{shared,connectors,sandbox,scripts}/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', '**/node_modules/**'],
          setupFiles: ['scripts/test-setup/fail-on-console.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['shared/src/**/*.ts'],
      exclude: ['shared/src/**/*.test.ts'],
      reporter: ['text-summary'],
      thresholds: { lines: 100 },
    },
  },
});
