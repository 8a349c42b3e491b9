/**
 * `npm run build:app`: the Zendesk app package folder and its zip, validated offline.
 *   dist/zendesk-sidebar/{manifest.json, requirements.json, translations/*.json, assets/{index.html, *.js, logo*.png}}
 *   dist/zendesk-sidebar.zip (files at the archive root, like `zcli apps:package`)
 * Fails (exit 1) on any error of the preflight validator; prints its warnings.
 */
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawLogo } from './png-encoder.ts';
import { validatePackage, type PackageFile, type ValidationReport } from './validate-package.ts';
import { writeZip } from './zip-writer.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const LOCATION_URL = 'assets/index.html';

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

/** The shipped manifest: the root one with every location URL pointing at the built page. */
export function toPackageManifest(source: Record<string, unknown>): Record<string, unknown> {
  const manifest = structuredClone(source);
  const location = manifest.location as Record<string, Record<string, unknown>> | undefined;
  for (const product of Object.values(location ?? {})) {
    for (const [name, options] of Object.entries(product)) {
      product[name] =
        typeof options === 'string' || options === null || typeof options !== 'object'
          ? { url: LOCATION_URL }
          : { ...options, url: LOCATION_URL };
    }
  }
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

  const files = packagedFiles(await readPackageDir(packageDir));
  const report = validatePackage(files);
  if (report.errors.length > 0) throw new PackageInvalidError(report);
  await writeFile(zipPath, writeZip(files.map((f) => ({ path: f.path, data: f.data }))));
  return { packageDir, zipPath, report, files: files.map((f) => f.path) };
}
