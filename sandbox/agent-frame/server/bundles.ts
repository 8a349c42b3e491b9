/**
 * Browser bundles the frame serves, built with Vite's build API (in memory) and cached on disk under
 * node_modules/.cache/boucle-agent-frame/ keyed by a hash of their inputs:
 * - the real ZAF SDK (npm `zendesk_app_framework_sdk`, CommonJS) as an IIFE that sets `window.ZAFClient`;
 * - the host page script (page/main.ts and what it imports).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const PAGE_DIR = path.join(import.meta.dirname, '..', 'page');
const REPO_ROOT = path.join(import.meta.dirname, '..', '..', '..');
const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'boucle-agent-frame');
const SDK_ENTRY_ID = 'boucle-zaf-sdk-entry';
const SDK_ENTRY_CODE = "import ZAFClient from 'zendesk_app_framework_sdk';\nwindow.ZAFClient = ZAFClient;\n";

const memo = new Map<string, Promise<string>>();

/** The ZAF SDK bundle (`window.ZAFClient`), as served at the CDN path. */
export function sdkBundle(): Promise<string> {
  return once('sdk', async () => {
    const sdkPackage = require.resolve('zendesk_app_framework_sdk/package.json');
    const version = (JSON.parse(await readFile(sdkPackage, 'utf8')) as { version: string }).version;
    return cached(`zaf-sdk-${version}-${await viteVersion()}`, () => viteIife(SDK_ENTRY_ID, true));
  });
}

/** The host page script (IIFE). */
export function hostBundle(): Promise<string> {
  return once('host', async () => {
    const files = (await readdir(PAGE_DIR))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .sort();
    const hash = createHash('sha256');
    for (const file of files) hash.update(file).update(await readFile(path.join(PAGE_DIR, file)));
    return cached(`host-${hash.digest('hex').slice(0, 16)}-${await viteVersion()}`, () =>
      viteIife(path.join(PAGE_DIR, 'main.ts'), false),
    );
  });
}

function once(key: string, make: () => Promise<string>): Promise<string> {
  let promise = memo.get(key);
  if (promise === undefined) {
    promise = make();
    promise.catch(() => memo.delete(key));
    memo.set(key, promise);
  }
  return promise;
}

async function viteVersion(): Promise<string> {
  const vitePackage = require.resolve('vite/package.json');
  return (JSON.parse(await readFile(vitePackage, 'utf8')) as { version: string }).version;
}

async function cached(name: string, build: () => Promise<string>): Promise<string> {
  const file = path.join(CACHE_DIR, `${name}.js`);
  try {
    return await readFile(file, 'utf8');
  } catch {
    // not cached yet
  }
  const code = await build();
  await mkdir(CACHE_DIR, { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, code);
  await rename(temp, file);
  return code;
}

async function viteIife(entry: string, minify: boolean): Promise<string> {
  const { build } = await import('vite');
  const output = await build({
    configFile: false,
    envFile: false,
    logLevel: 'silent',
    root: REPO_ROOT,
    publicDir: false,
    plugins: [
      {
        name: 'boucle-zaf-sdk-entry',
        resolveId: (id: string) => (id === SDK_ENTRY_ID ? `\0${SDK_ENTRY_ID}` : null),
        load: (id: string) => (id === `\0${SDK_ENTRY_ID}` ? SDK_ENTRY_CODE : null),
      },
    ],
    build: {
      write: false,
      minify,
      sourcemap: false,
      emptyOutDir: false,
      copyPublicDir: false,
      modulePreload: false,
      rolldownOptions: { input: entry, output: { format: 'iife' } },
    },
  });
  const results = Array.isArray(output) ? output : [output];
  for (const result of results) {
    if (!('output' in result)) continue;
    const chunk = result.output.find((item) => item.type === 'chunk');
    if (chunk !== undefined && chunk.type === 'chunk') return chunk.code;
  }
  throw new Error(`Vite produced no bundle for ${entry}.`);
}
