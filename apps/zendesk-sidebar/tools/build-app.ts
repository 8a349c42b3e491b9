/**
 * `npm run build:app`: the Zendesk app package folder and its zip, validated offline. One package, two locations:
 * the ticket sidebar (assets/index.html, apps/zendesk-sidebar) and the nav_bar console (assets/console.html,
 * apps/console), built by two Vite builds so neither location's start-up bundle carries the other's code.
 *   dist/zendesk-sidebar/{manifest.json, requirements.json, translations/*.json,
 *     assets/{index.html, console.html, *.js, logo*.png, icon_nav_bar.svg}}
 *   dist/zendesk-sidebar.zip (files at the archive root, like `zcli apps:package`)
 * Fails (exit 1) on any error of the preflight validator; prints its warnings.
 */
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { navBarIconSvg } from './nav-icon.ts';
import { drawLogo } from './png-encoder.ts';
import { validatePackage, type PackageFile, type ValidationReport } from './validate-package.ts';
import { writeZip } from './zip-writer.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const LOCATION_URL = 'assets/index.html';
/** The page of each location in the package. */
export const LOCATION_URLS: Readonly<Record<string, string>> = {
  ticket_sidebar: LOCATION_URL,
  nav_bar: 'assets/console.html',
};
/**
 * Hosts the console may call through Zendesk's proxy with the secure connector token (the manifest's
 * domainWhitelist): BOUCLE_CONNECTOR_HOSTS (comma list, e.g. boucle.example.com) for a customer's package;
 * the sandbox's loopback hosts otherwise.
 */
export function connectorHosts(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const listed = (env['BOUCLE_CONNECTOR_HOSTS'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return listed.length > 0 ? listed : ['localhost', '127.0.0.1'];
}

export interface BuildResult {
  readonly packageDir: string;
  readonly zipPath: string;
  readonly report: ValidationReport;
  readonly files: readonly string[];
}

export class PackageInvalidError extends Error {
  override readonly name = 'PackageInvalidError';
  readonly report: ValidationReport;
  constructor(report: ValidationReport) {
    super(`The app package is invalid:\n${report.errors.map((e) => `  - ${e}`).join('\n')}`);
    this.report = report;
  }
}

/** The shipped manifest: the root one with each location URL pointing at its built page, and the connector hosts. */
export function toPackageManifest(
  source: Record<string, unknown>,
  hosts: readonly string[] = connectorHosts(),
): Record<string, unknown> {
  const manifest = structuredClone(source);
  const location = manifest.location as Record<string, Record<string, unknown>> | undefined;
  for (const product of Object.values(location ?? {})) {
    for (const [name, options] of Object.entries(product)) {
      const url = LOCATION_URLS[name] ?? LOCATION_URL;
      product[name] =
        typeof options === 'string' || options === null || typeof options !== 'object'
          ? { url }
          : { ...options, url };
    }
  }
  manifest.domainWhitelist = [...hosts];
  return manifest;
}

export async function readPackageDir(dir: string): Promise<PackageFile[]> {
  const out: PackageFile[] = [];
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      const path = relative(dir, full).split(sep).join('/');
      const stat = await lstat(full);
      if (stat.isSymbolicLink()) out.push({ path, data: new Uint8Array(), symlink: true });
      else if (stat.isDirectory()) await walk(full);
      else out.push({ path, data: await readFile(full) });
    }
  };
  await walk(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The package's files as zcli would zip them: no dotfiles, no tmp/. */
export function packagedFiles(files: readonly PackageFile[]): PackageFile[] {
  return files.filter(
    (f) => !f.path.startsWith('tmp/') && !f.path.split('/').some((part) => part.startsWith('.')),
  );
}

export async function buildApp(options: { outDir?: string; quiet?: boolean } = {}): Promise<BuildResult> {
  const packageDir = resolve(REPO_ROOT, options.outDir ?? 'dist/zendesk-sidebar');
  const zipPath = `${packageDir}.zip`;
  await rm(packageDir, { recursive: true, force: true });
  const { build } = await import('vite');
  await build({
    configFile: join(REPO_ROOT, 'vite.config.ts'),
    root: join(REPO_ROOT, 'apps/zendesk-sidebar'),
    logLevel: options.quiet ? 'silent' : 'warn',
    build: { outDir: join(packageDir, 'assets'), emptyOutDir: true },
  });
  // The console: its own entry and chunk graph (its charts are a lazy chunk, not preloaded).
  const react = (await import('@vitejs/plugin-react')).default;
  await build({
    configFile: false,
    root: join(REPO_ROOT, 'apps/console'),
    base: './',
    logLevel: options.quiet ? 'silent' : 'warn',
    plugins: [react()],
    build: {
      outDir: join(packageDir, 'assets'),
      emptyOutDir: false,
      sourcemap: false,
      target: 'es2022',
      assetsDir: '.',
      modulePreload: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: join(REPO_ROOT, 'apps/console/console.html'),
        output: { entryFileNames: 'console-[hash].js', chunkFileNames: 'console-[name]-[hash].js' },
      },
    },
  });
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'manifest.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  await writeFile(
    join(packageDir, 'manifest.json'),
    `${JSON.stringify(toPackageManifest(manifest), null, 2)}\n`,
  );
  await writeFile(
    join(packageDir, 'requirements.json'),
    await readFile(join(REPO_ROOT, 'requirements.json')),
  );
  await mkdir(join(packageDir, 'translations'), { recursive: true });
  for (const name of await readdir(join(REPO_ROOT, 'translations'))) {
    if (name.endsWith('.json')) {
      await writeFile(
        join(packageDir, 'translations', name),
        await readFile(join(REPO_ROOT, 'translations', name)),
      );
    }
  }
  await writeFile(join(packageDir, 'assets/logo.png'), drawLogo(320));
  await writeFile(join(packageDir, 'assets/logo-small.png'), drawLogo(128));
  await writeFile(join(packageDir, 'assets/icon_nav_bar.svg'), navBarIconSvg());

  const files = packagedFiles(await readPackageDir(packageDir));
  const report = validatePackage(files);
  if (report.errors.length > 0) throw new PackageInvalidError(report);
  await writeFile(zipPath, writeZip(files.map((f) => ({ path: f.path, data: f.data }))));
  return { packageDir, zipPath, report, files: files.map((f) => f.path) };
}
