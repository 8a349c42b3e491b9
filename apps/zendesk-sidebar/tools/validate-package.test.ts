// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { findDuplicateKeys } from './find-duplicate-keys.ts';
import { navBarIconSvg } from './nav-icon.ts';
import { drawLogo } from './png-encoder.ts';
import { validatePackage, type PackageFile } from './validate-package.ts';

const text = (path: string, value: unknown): PackageFile => ({
  path,
  data: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

const MANIFEST = {
  author: { name: 'Boucle', email: 'a@b.example', url: 'https://boucle.example' },
  defaultLocale: 'en',
  location: { support: { ticket_sidebar: { url: 'assets/index.html', flexible: true } } },
  frameworkVersion: '2.0',
  parameters: [
    { name: 'costs_callback_minutes', type: 'number' },
    { name: 'connector_token', type: 'text', secure: true, scopes: ['header'] },
  ],
};

function pkg(overrides: { manifest?: unknown; files?: PackageFile[]; drop?: string[] } = {}): PackageFile[] {
  const files = [
    text('manifest.json', overrides.manifest ?? MANIFEST),
    text('translations/en.json', {
      app: { name: 'Boucle', parameters: { connector_token: { label: 'Token' } } },
    }),
    text('assets/index.html', '<!doctype html>'),
    { path: 'assets/logo.png', data: drawLogo(32) },
    { path: 'assets/logo-small.png', data: drawLogo(16) },
    ...(overrides.files ?? []),
  ];
  return files.filter((f) => !(overrides.drop ?? []).includes(f.path));
}

const withManifest = (change: Record<string, unknown>) => pkg({ manifest: { ...MANIFEST, ...change } });

describe('validatePackage', () => {
  it('accepts a valid package', () => {
    expect(validatePackage(pkg())).toEqual({ errors: [], warnings: [] });
  });

  it.each([
    ['no manifest', pkg({ drop: ['manifest.json'] }), 'Could not find manifest.json'],
    [
      'nested manifest',
      [text('app/manifest.json', MANIFEST)],
      'Could not find manifest.json in the root of the zip file, but app/manifest.json was found. Try re-creating the archive from this directory.',
    ],
    ['broken JSON', pkg({ manifest: '{"author": ' }), 'manifest is not proper JSON.'],
    [
      'duplicate keys',
      pkg({
        manifest: JSON.stringify(MANIFEST).replace(
          '"defaultLocale":"en"',
          '"defaultLocale":"en","defaultLocale":"en"',
        ),
      }),
      'Duplicate keys are specified in the manifest.json file. defaultLocale',
    ],
    ['missing author', withManifest({ author: undefined }), 'Missing required field in manifest: author'],
    [
      'framework 1.0',
      withManifest({ frameworkVersion: '1.0' }),
      '1.0 is not a valid framework version. Available versions are: 2.0.',
    ],
    ['bad locale', withManifest({ defaultLocale: 'english' }), 'english is not a valid default locale.'],
    ['no locale file', withManifest({ defaultLocale: 'de' }), "Missing translation file for locale 'de'."],
    [
      'unknown host',
      withManifest({ location: { desk: { ticket_sidebar: 'assets/index.html' } } }),
      'desk is an invalid host for apps.',
    ],
    [
      'unknown location',
      withManifest({ location: { support: { side: 'assets/index.html' } } }),
      'side is an invalid location in support.',
    ],
    [
      'missing asset',
      withManifest({ location: { support: { ticket_sidebar: 'assets/nope.html' } } }),
      'assets/nope.html is either an invalid location URI, refers to a missing asset, or does not use HTTPS.',
    ],
    [
      'http URL',
      withManifest({ location: { support: { ticket_sidebar: 'http://127.0.0.1:3000/' } } }),
      'http://127.0.0.1:3000/ is either an invalid location URI',
    ],
    [
      'flexible not boolean',
      withManifest({
        location: { support: { ticket_sidebar: { url: 'assets/index.html', flexible: 'yes' } } },
      }),
      'yes is an invalid type for the flexible location parameter.',
    ],
    [
      'password parameter',
      withManifest({ parameters: [{ name: 'p', type: 'password' }] }),
      'password is an invalid parameter type.',
    ],
    [
      "parameter called 'name'",
      withManifest({ parameters: [{ name: 'name' }] }),
      "Can't call a parameter 'name'",
    ],
    [
      'duplicate parameters',
      withManifest({ parameters: [{ name: 'a' }, { name: 'a' }] }),
      'Duplicate app parameters defined: a',
    ],
    [
      'hidden and required',
      withManifest({ parameters: [{ name: 'h', type: 'hidden', required: true }] }),
      'h is set to hidden and cannot be required.',
    ],
    [
      'scopes on a non-secure parameter',
      withManifest({ parameters: [{ name: 's', type: 'text', scopes: ['header'] }] }),
      's: scopes can only be set on secure parameters.',
    ],
    [
      'unknown scope',
      withManifest({ parameters: [{ name: 's', type: 'text', secure: true, scopes: ['cookie'] }] }),
      's: invalid scopes cookie.',
    ],
    [
      'unknown experiment',
      withManifest({ experiments: { warpDrive: true } }),
      'Manifest specifies unknown or unavailable experiment: warpDrive',
    ],
    [
      'symlink',
      pkg({ files: [{ path: 'assets/link', data: new Uint8Array(), symlink: true }] }),
      'Symlinks are not allowed in the zip file',
    ],
    [
      'zip inside',
      pkg({ files: [text('assets/x.zip', 'PK\u0003\u0004')] }),
      'Unsupported MIME type detected in assets/x.zip.',
    ],
    [
      'sniffed PDF',
      pkg({ files: [text('assets/doc.txt', '%PDF-1.4')] }),
      'Unsupported MIME type detected in assets/doc.txt.',
    ],
    [
      'shell script',
      pkg({ files: [text('assets/run', '#!/bin/sh\necho')] }),
      'Unsupported MIME type detected in assets/run.',
    ],
    [
      'source map',
      pkg({ files: [text('assets/index.js.map', '{}')] }),
      'assets/index.js.map must not be in the package',
    ],
    [
      'dev config',
      pkg({ files: [text('zcli.apps.config.json', '{}')] }),
      'zcli.apps.config.json must not be in the package',
    ],
    ['missing logo', pkg({ drop: ['assets/logo-small.png'] }), 'Could not find assets/logo-small.png'],
    [
      'translation without label',
      pkg({ files: [text('translations/fr.json', { app: { parameters: { x: { helpText: 'h' } } } })] }),
      'Missing required key label on leaf app.parameters.x from translations/fr.json',
    ],
    [
      'bad translation name',
      pkg({ files: [text('translations/french.json', {})] }),
      'translations/french.json is not a valid locale.',
    ],
    [
      'bad banner',
      pkg({ files: [{ path: 'assets/banner.png', data: drawLogo(20) }] }),
      'Invalid banner image dimensions.',
    ],
    [
      'requirements: unknown type',
      pkg({ files: [text('requirements.json', { gadgets: {} })] }),
      'requirements.json contains an invalid type: gadgets',
    ],
    [
      'requirements: field without key',
      pkg({ files: [text('requirements.json', { user_fields: { tier: { title: 'Tier' } } })] }),
      'Missing required fields in requirements.json: "key" is required in "tier"',
    ],
    [
      'requirements: webhook without endpoint',
      pkg({
        files: [
          text('requirements.json', {
            webhooks: { hook: { name: 'x', status: 'active', http_method: 'POST', request_format: 'json' } },
          }),
        ],
      }),
      '"endpoint" is required in "hook"',
    ],
    [
      'requirements: http_target',
      pkg({ files: [text('requirements.json', { targets: { t: { title: 'T', type: 'http_target' } } })] }),
      'use webhooks',
    ],
    [
      'custom objects: field of an undeclared object',
      pkg({
        files: [
          text('requirements.json', {
            custom_objects_v2: {
              objects: [],
              object_fields: [{ key: 'f', title: 'F', type: 'text', object_key: 'ghost' }],
            },
          }),
        ],
      }),
      'references undeclared object ghost',
    ],
    [
      'custom objects: setting placeholder',
      pkg({
        files: [
          text('requirements.json', {
            custom_objects_v2: {
              objects: [
                { key: 'o', title: '{{setting.x}}', title_pluralized: 'Os', include_in_list_view: true },
              ],
            },
          }),
        ],
      }),
      'must not contain {{setting.*}} placeholders',
    ],
  ])('reports %s', (_name, files, message) => {
    const { errors } = validatePackage(files);
    expect(errors.some((e) => e.includes(message))).toBe(true);
  });

  it('counts requirements against the 5000 limit', () => {
    const fields = Object.fromEntries(
      Array.from({ length: 5001 }, (_, i) => [`f${i}`, { title: `F${i}`, type: 'text' }]),
    );
    const { errors } = validatePackage(
      pkg({ files: [text('requirements.json', { ticket_fields: fields })] }),
    );
    expect(errors).toContain(
      'The requirements.json file contains too many requirements. The current limit is 5000 requirements. This app has 5001 requirements.',
    );
  });

  it('warns about insecure settings and HTTP URLs without failing', () => {
    const report = validatePackage(
      pkg({
        manifest: {
          ...MANIFEST,
          parameters: [
            { name: 'apiToken', type: 'text' },
            { name: 'k', secure: true, default: 'x' },
          ],
        },
        files: [text('assets/app.js', 'fetch("http://api.example.test/x")')],
      }),
    );
    expect(report.errors).toEqual([]);
    expect(report.warnings.join('\n')).toMatch(
      /set secure to true[\s\S]*not stored securely[\s\S]*no scopes[\s\S]*http:\/\/api\.example\.test/,
    );
  });
});

describe('findDuplicateKeys', () => {
  it('finds duplicates at any depth and ignores keys repeated in different objects', () => {
    expect(findDuplicateKeys('{"a":1,"b":{"c":1,"c":2},"d":[{"e":1},{"e":2}],"a":"x"}')).toEqual([
      'b.c',
      'a',
    ]);
    expect(findDuplicateKeys('{"s":"with \\"quotes\\" and }","t":[]}')).toEqual([]);
  });
});

describe('validatePackage: icons of the locations shown as an icon (nav_bar)', () => {
  const navBar = {
    ...MANIFEST,
    location: {
      support: {
        ticket_sidebar: { url: 'assets/index.html', flexible: true },
        nav_bar: { url: 'assets/console.html' },
      },
    },
  };
  const consolePage = text('assets/console.html', '<!doctype html>');

  it('refuses a nav_bar location without its icon, naming the files to add', () => {
    expect(validatePackage(pkg({ manifest: navBar, files: [consolePage] })).errors).toEqual([
      'Could not find assets/icon_nav_bar.svg (or assets/icon_nav_bar_inactive.png, assets/icon_nav_bar_active.png, assets/icon_nav_bar_hover.png): the nav_bar location shows the app as an icon.',
    ]);
  });

  it('accepts the SVG icon, or the three PNG states but not only some of them', () => {
    const svg = text('assets/icon_nav_bar.svg', navBarIconSvg());
    expect(validatePackage(pkg({ manifest: navBar, files: [consolePage, svg] })).errors).toEqual([]);
    const png = (state: string): PackageFile => ({
      path: `assets/icon_nav_bar_${state}.png`,
      data: drawLogo(18),
    });
    expect(
      validatePackage(
        pkg({ manifest: navBar, files: [consolePage, png('inactive'), png('active'), png('hover')] }),
      ).errors,
    ).toEqual([]);
    expect(
      validatePackage(pkg({ manifest: navBar, files: [consolePage, png('inactive'), png('active')] })).errors,
    ).toHaveLength(1);
  });

  it('the generated icon is a clean SVG with an 18×18 view box and no colour of its own', () => {
    const svg = navBarIconSvg();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 18 18">/);
    expect(svg).not.toMatch(/<script|\son\w+=|fill="#|<image/);
  });
});
