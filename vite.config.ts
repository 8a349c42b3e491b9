import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** Where `npm run build:app` puts the Zendesk app package (manifest.json, assets/, translations/). */
export const SIDEBAR_PACKAGE_DIR = 'dist/zendesk-sidebar';

// One config for the test runner (projects below) and the sidebar build (`npm run build:app`, through
// apps/zendesk-sidebar/tools/build-app.ts). The build options only matter to `vite build`.
export default defineConfig({
  ...(process.env.VITEST ? {} : { root: 'apps/zendesk-sidebar' }),
  base: './',
  plugins: process.env.VITEST ? [] : [react()],
  build: {
    outDir: `../../${SIDEBAR_PACKAGE_DIR}/assets`,
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // Flat names: the package's location URL is assets/index.html and its scripts sit beside it.
    assetsDir: '.',
    modulePreload: false,
    reportCompressedSize: false,
    rolldownOptions: {
      output: { entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
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
          name: 'sidebar',
          environment: 'jsdom',
          // First renders of Garden components inject many styles, which jsdom parses slowly on a loaded machine.
          testTimeout: 60_000,
          include: ['apps/zendesk-sidebar/**/*.test.{ts,tsx}'],
          exclude: ['**/*.e2e.test.ts', '**/node_modules/**'],
          setupFiles: [
            'scripts/test-setup/fail-on-console.ts',
            'apps/zendesk-sidebar/src/testing/setup-tests.ts',
          ],
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
