import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Keeps zod's JSON Schema generator out of the sidebar's bundle (about 5 KB of its start-up JS, gzip).
 *
 * zod 4's classic schemas reference the generator from every schema constructor (`processJSONSchema`, the
 * `toJSONSchema()` method and Standard Schema's `~standard.jsonSchema`), so a bundler cannot drop it even though
 * nothing in the sidebar ever turns a schema into JSON Schema. In the sidebar build only, the two modules those
 * constructors import are swapped, for `classic/schemas.js` alone, for modules that keep the one helper that
 * parsing itself uses (`aggregateChecks`, behind the schemas' `minLength`/`format`… getters) and make every
 * generator entry point throw a clear error if anything ever calls it.
 *
 * Checked at build time: zod is pinned to one version, and if an upgrade changes these imports the build fails
 * here (rather than shipping the generator again, or breaking parsing) and this plugin must be reviewed.
 */
export function zodWithoutJsonSchema(): Plugin {
  const require = createRequire(import.meta.url);
  const zodRoot = dirname(require.resolve('zod/package.json'));
  const classicSchemas = join(zodRoot, 'v4/classic/schemas.js');
  const realProcessors = join(zodRoot, 'v4/core/json-schema-processors.js');
  const PROCESSORS = '\0boucle:zod-json-schema-processors';
  const TO_JSON_SCHEMA = '\0boucle:zod-to-json-schema';
  const replaced = new Map([
    ['../core/json-schema-processors.js', PROCESSORS],
    ['../core/to-json-schema.js', TO_JSON_SCHEMA],
  ]);
  const seen = new Set<string>();
  // One function for every entry point (a named export each), so the bundle holds the message once.
  const unavailable = `function unavailable() { throw new Error("zod's JSON Schema generation is not part of the sidebar bundle (apps/zendesk-sidebar/tools/zod-without-json-schema.ts)"); }`;

  return {
    name: 'boucle:zod-without-json-schema',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === PROCESSORS) return PROCESSORS; // imported by the to-json-schema replacement
      const target = replaced.get(source);
      if (target === undefined || importer === undefined || importer.split('?')[0] !== classicSchemas) return;
      seen.add(source);
      return target;
    },
    async load(id) {
      if (id === PROCESSORS) {
        const names = Object.keys((await import(realProcessors)) as Record<string, unknown>);
        if (!names.includes('aggregateChecks') || !names.includes('stringProcessor')) {
          this.error(
            `zod's json-schema-processors.js changed (exports: ${names.join(', ')}): review this plugin`,
          );
        }
        const stubbed = names.filter((name) => name !== 'aggregateChecks');
        return [
          `export { aggregateChecks } from ${JSON.stringify(realProcessors)};`,
          unavailable,
          `export { ${stubbed.map((name) => `unavailable as ${name}`).join(', ')} };`,
        ].join('\n');
      }
      if (id === TO_JSON_SCHEMA) {
        // Called while a schema is built (the Standard Schema object): they return functions that throw when used.
        return [
          `import { stringProcessor as unavailable } from ${JSON.stringify(PROCESSORS)};`,
          'export const createToJSONSchemaMethod = () => unavailable;',
          'export const createStandardJSONSchemaMethod = () => unavailable;',
        ].join('\n');
      }
      return undefined;
    },
    buildEnd(error) {
      if (error) return;
      for (const source of replaced.keys()) {
        if (!seen.has(source)) {
          this.error(`zod's classic/schemas.js no longer imports ${source}: review this plugin`);
        }
      }
    },
  };
}
