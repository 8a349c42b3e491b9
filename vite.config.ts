import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { zodWithoutJsonSchema } from './apps/zendesk-sidebar/tools/zod-without-json-schema.ts';

/**
 * Lists the sidebar's dynamically imported UI chunk (and the chunks it imports) as `modulepreload` links in the
 * page, so the browser fetches and compiles it while the small entry does the handshake; the entry evaluates it
 * once the ticket's reads are in flight (apps/zendesk-sidebar/src/main.tsx). Dynamic imports whose module matches
 * `onDemand` are not listed: the page fetches them only when it needs them (one language's messages of two).
 */
function preloadDynamicChunks({ onDemand }: { onDemand: RegExp }): Plugin {
  return {
    name: 'boucle:preload-dynamic-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle ?? {};
        const files = new Set<string>();
        const add = (file: string): void => {
          const chunk = bundle[file];
          if (chunk?.type !== 'chunk' || files.has(file)) return;
          files.add(file);
          chunk.imports.forEach(add);
        };
        for (const [file, chunk] of Object.entries(bundle)) {
          if (chunk.type === 'chunk' && chunk.isDynamicEntry && !onDemand.test(chunk.facadeModuleId ?? ''))
            add(file);
        }
        const entryImports = new Set(
          Object.values(bundle).flatMap((c) =>
            c.type === 'chunk' && c.isEntry ? [c.fileName, ...c.imports] : [],
          ),
        );
        return [...files]
          .filter((file) => !entryImports.has(file))
          .map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
            injectTo: 'head' as const,
          }));
      },
    },
  };
}

/** The sidebar's messages, one module per language (apps/zendesk-sidebar/src/i18n/catalogue.ts). */
const SIDEBAR_MESSAGES = /\/apps\/zendesk-sidebar\/src\/i18n\/(en|fr)\.ts$/;

/** Where `npm run build:app` puts the Zendesk app package (manifest.json, assets/, translations/). */
export const SIDEBAR_PACKAGE_DIR = 'dist/zendesk-sidebar';

// One config for the test runner (projects below) and the sidebar build (`npm run build:app`, through
// apps/zendesk-sidebar/tools/build-app.ts). The build options only matter to `vite build`.
export default defineConfig({
  ...(process.env.VITEST ? {} : { root: 'apps/zendesk-sidebar' }),
  base: './',
  plugins: process.env.VITEST
    ? []
    : [react(), preloadDynamicChunks({ onDemand: SIDEBAR_MESSAGES }), zodWithoutJsonSchema()],
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
      // shared/ is pure (no I/O, no globals, no registration at import: eslint.config.js holds it to that), so a
      // shared module none of whose exports the sidebar uses is left out, its top-level zod schemas included; and
      // the page's entry, which reads a few shared constants, does not evaluate shared's schemas before the UI
      // chunk's zod setting (src/zod-jitless.ts).
      treeshake: { moduleSideEffects: [{ test: /\/shared\/src\//, sideEffects: false }] },
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
          exclude: ['**/*.e2e.test.ts', '**/*.pg.test.ts', '**/node_modules/**'],
          setupFiles: ['scripts/test-setup/fail-on-console.ts'],
        },
      },
      {
        test: {
          name: 'sidebar',
          environment: 'jsdom',
          // First renders of Garden components inject many styles, which jsdom parses slowly on a loaded machine.
          testTimeout: 60_000,
          include: ['apps/**/*.test.{ts,tsx}'],
          exclude: ['**/*.e2e.test.ts', '**/node_modules/**'],
          setupFiles: [
            'scripts/test-setup/fail-on-console.ts',
            'apps/zendesk-sidebar/src/testing/setup-tests.ts',
          ],
        },
      },
      {
        // Against a real PostgreSQL server that the global setup installs (when missing), starts as an
        // unprivileged user in a temporary directory, and removes at the end (scripts/postgres-cluster.ts).
        test: {
          name: 'postgres',
          environment: 'node',
          include: ['connectors/**/*.pg.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['scripts/test-setup/postgres.ts'],
          setupFiles: ['scripts/test-setup/fail-on-console.ts'],
          // Files stop and restart the one server: one file at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
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
