import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rewriteSdkScript, ZAF_SDK_CDN_URL, ZAF_SDK_PATH } from '../index.ts';
import { readAppPackage, splitSettings } from './app-package.ts';

const PROBE = path.join(import.meta.dirname, '..', 'probe-app');
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('readAppPackage and splitSettings', () => {
  it('reads the sidebar location and keeps secure settings out of the public ones', async () => {
    const app = await readAppPackage(PROBE);
    expect(app).toMatchObject({
      sidebarPath: 'assets/iframe.html',
      flexible: true,
      domainWhitelist: ['127.0.0.1'],
    });
    expect(splitSettings(app, { apiBase: 'http://127.0.0.1:1', apiToken: 'tok' })).toEqual({
      publicSettings: { apiBase: 'http://127.0.0.1:1' },
      secureSettings: { apiToken: 'tok' },
    });
  });

  it('names unknown and missing settings', async () => {
    const app = await readAppPackage(PROBE);
    expect(() => splitSettings(app, { apiBase: 'x', apiToken: 't', nope: 1 })).toThrow(
      /Unknown setting\(s\) nope/,
    );
    expect(() => splitSettings(app, { apiBase: 'x' })).toThrow(/required setting\(s\): apiToken/);
  });

  it('explains a folder without a usable manifest', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'af-'));
    dirs.push(dir);
    await expect(readAppPackage(dir)).rejects.toThrow(/No manifest.json/);
    await writeFile(
      path.join(dir, 'manifest.json'),
      JSON.stringify({ location: { support: { ticket_sidebar: 'http://x' } } }),
    );
    await expect(readAppPackage(dir)).rejects.toThrow(/must be a path under assets\//);
  });

  it('rewrites the CDN script URL to the served bundle', () => {
    expect(rewriteSdkScript(`<script src="${ZAF_SDK_CDN_URL}"></script>`)).toBe(
      `<script src="${ZAF_SDK_PATH}"></script>`,
    );
  });
});
