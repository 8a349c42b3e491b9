// @vitest-environment node
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './build-app.ts';
import { zodWithoutJsonSchema } from './zod-without-json-schema.ts';

// A bundle of a tiny module using zod as shared/ does, built once with the plugin and once without.
const ENTRY = `import { z } from 'zod';
const settings = z.object({ name: z.string().min(2), percent: z.number().int().min(0).max(100).optional() });
export const parse = (value) => settings.safeParse(value);
export const minLength = () => z.string().min(3).minLength;
export const toJsonSchema = () => settings.toJSONSchema();
export const standardJsonSchema = () => settings['~standard'].jsonSchema.input({ target: 'draft-2020-12' });
`;

interface Built {
  readonly code: string;
  readonly module: {
    parse: (value: unknown) => {
      success: boolean;
      error?: { issues: { path: unknown[]; message: string }[] };
    };
    minLength: () => number | null;
    toJsonSchema: () => unknown;
    standardJsonSchema: () => unknown;
  };
}

let dir = '';
async function bundle(withPlugin: boolean): Promise<Built> {
  const { build } = await import('vite');
  const outDir = join(dir, withPlugin ? 'with' : 'without');
  await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'silent',
    plugins: withPlugin ? [zodWithoutJsonSchema()] : [],
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      lib: { entry: join(dir, 'entry.js'), formats: ['es'], fileName: 'bundle' },
    },
  });
  const file = join(outDir, 'bundle.js');
  return {
    code: await readFile(file, 'utf8'),
    module: (await import(pathToFileURL(file).href)) as Built['module'],
  };
}

let withPlugin: Built;
let without: Built;
beforeAll(async () => {
  // Inside the repository's node_modules, so that the entry's `zod` resolves to the project's own.
  await mkdir(join(REPO_ROOT, 'node_modules/.cache'), { recursive: true });
  dir = await mkdtemp(join(REPO_ROOT, 'node_modules/.cache/boucle-zod-plugin-'));
  await writeFile(join(dir, 'entry.js'), ENTRY);
  without = await bundle(false);
  withPlugin = await bundle(true);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('zodWithoutJsonSchema (sidebar build)', () => {
  it("leaves zod's JSON Schema generator out of the bundle", () => {
    // finalize() and extractDefs() are the generator's own; the plain build carries them.
    expect(without.code).toMatch(/function extractDefs\(/);
    expect(withPlugin.code).not.toMatch(/function extractDefs\(/);
    expect(withPlugin.code.length).toBeLessThan(without.code.length - 10_000);
  });

  it('parses and reports issues exactly as zod does', () => {
    for (const value of [{ name: 'Ana', percent: 40 }, { name: 'A' }, { name: 'Ana', percent: 4.5 }, {}]) {
      expect(withPlugin.module.parse(value)).toEqual(without.module.parse(value));
    }
    expect(withPlugin.module.parse({ name: 'A' }).error?.issues[0]?.message).toMatch(/>=2 characters/);
    expect(withPlugin.module.minLength()).toBe(3);
  });

  it('makes any JSON Schema call throw a clear error instead of returning something wrong', () => {
    expect(without.module.toJsonSchema()).toMatchObject({ type: 'object' });
    expect(() => withPlugin.module.toJsonSchema()).toThrow(
      /JSON Schema generation is not part of the sidebar bundle/,
    );
    expect(() => withPlugin.module.standardJsonSchema()).toThrow(/not part of the sidebar bundle/);
  });
});
