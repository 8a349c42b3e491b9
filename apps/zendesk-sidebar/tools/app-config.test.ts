// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSettings, SETTINGS_PARAMETERS } from '../../../shared/src/index.ts';
import { buildManifestParameters, buildTranslations, withParameters } from './app-config.ts';
import { REPO_ROOT } from './build-app.ts';
import { buildRequirements } from './requirements.ts';
import { validatePackage } from './validate-package.ts';

const readJson = (path: string): unknown => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8'));

describe('app configuration', () => {
  it('root manifest.json, translations/ and requirements.json are current (run `npm run app:config`)', () => {
    const manifest = readJson('manifest.json') as Record<string, unknown>;
    expect(manifest).toEqual(withParameters(manifest));
    expect(readJson('translations/en.json')).toEqual(buildTranslations('en'));
    expect(readJson('translations/fr.json')).toEqual(buildTranslations('fr'));
    expect(readJson('requirements.json')).toEqual(buildRequirements());
  });

  it('has only the install-time settings plus the secure connector token and the hidden policy, never a password type', () => {
    const parameters = buildManifestParameters();
    expect(parameters.map((p) => p.name)).toEqual([
      'locale',
      'connector_url',
      'zendesk_fields_intervention_field_id',
      'zendesk_fields_callback_due_field_id',
      'connector_token',
      'policy',
    ]);
    // The policy's flat fields (costs, tiers, rules…) are gone from Zendesk's settings page: the console edits them.
    const names = new Set(parameters.map((p) => p.name));
    for (const flat of ['costs_callback_minutes', 'callback_window_hours_gold', 'rules', 'risk_intercept'])
      expect(names.has(flat)).toBe(false);
    expect(SETTINGS_PARAMETERS.length).toBeGreaterThan(60);
    // Hidden from the settings page, never required, and no default (the validator warns on one).
    expect(parameters.find((p) => p.name === 'policy')).toEqual({
      name: 'policy',
      type: 'hidden',
      required: false,
    });
    expect(parameters.find((p) => p.name === 'connector_token')).toEqual({
      name: 'connector_token',
      type: 'text',
      required: true,
      secure: true,
      scopes: ['header'],
    });
    expect(parameters.some((p) => (p.type as string) === 'password')).toBe(false);
  });

  it("the parameters' defaults, as Zendesk sends them, parse as valid settings", () => {
    const installation = Object.fromEntries(
      buildManifestParameters()
        .filter((p) => !p.secure && p.default !== undefined)
        .map((p) => [p.name, p.default]),
    );
    expect(parseSettings({ ...installation, connector_url: 'https://boucle.example' }).success).toBe(true);
  });

  it('labels every parameter in English and French, with different texts', () => {
    const en = buildTranslations('en').app.parameters;
    const fr = buildTranslations('fr').app.parameters;
    expect(Object.keys(fr)).toEqual(Object.keys(en));
    for (const name of Object.keys(en)) expect(fr[name]?.label).not.toBe(en[name]?.label);
  });

  it('requirements.json passes the preflight rules and its limits', () => {
    const manifest = readJson('manifest.json');
    const files = [
      {
        path: 'manifest.json',
        data: Buffer.from(
          JSON.stringify({
            ...(manifest as object),
            location: { support: { ticket_sidebar: 'assets/index.html' } },
          }),
        ),
      },
      { path: 'assets/index.html', data: Buffer.from('<!doctype html>') },
      { path: 'assets/logo.png', data: Buffer.from('') },
      { path: 'assets/logo-small.png', data: Buffer.from('') },
      { path: 'translations/en.json', data: Buffer.from(JSON.stringify(buildTranslations('en'))) },
      { path: 'requirements.json', data: Buffer.from(JSON.stringify(buildRequirements())) },
    ];
    expect(validatePackage(files).errors).toEqual([]);
    const co = buildRequirements().custom_objects_v2;
    for (const object of co.objects) {
      const fields = co.object_fields.filter((f) => f.object_key === object.key);
      expect(fields.length).toBeLessThanOrEqual(20);
      expect(fields.filter((f) => f.type === 'dropdown').length).toBeLessThanOrEqual(5);
    }
  });
});
