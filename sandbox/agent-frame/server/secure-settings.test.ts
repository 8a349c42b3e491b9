import { describe, expect, it } from 'vitest';
import { substituteSecureSettings } from './secure-settings.ts';
import type { SubstitutionContext } from './secure-settings.ts';

const context: SubstitutionContext = {
  parameters: [
    { name: 'base', type: 'url', secure: false, required: true },
    { name: 'token', type: 'text', secure: true, required: true, scopes: ['header'] },
    { name: 'anywhere', type: 'text', secure: true, required: false },
  ],
  publicSettings: { base: 'http://127.0.0.1:9' },
  secureSettings: { token: 'S3CRET', anywhere: 'A11' },
  domainWhitelist: ['127.0.0.1', '*.example.test'],
};

describe('substituteSecureSettings', () => {
  it('substitutes settings in url, headers and data of secure requests', () => {
    const result = substituteSecureSettings(
      {
        url: '{{setting.base}}/x?k={{setting.anywhere}}',
        secure: true,
        headers: { Authorization: 'Bearer {{setting.token}}' },
        data: { nested: ['{{setting.anywhere}}'] },
      },
      context,
    );
    expect(result).toEqual({
      ok: true,
      options: {
        url: 'http://127.0.0.1:9/x?k=A11',
        secure: true,
        headers: { Authorization: 'Bearer S3CRET' },
        data: { nested: ['A11'] },
      },
    });
  });

  it('leaves placeholders alone without secure: true', () => {
    const options = { url: 'http://127.0.0.1:9/x', headers: { Authorization: 'Bearer {{setting.token}}' } };
    expect(substituteSecureSettings(options, context)).toEqual({ ok: true, options });
  });

  it('refuses out-of-scope use, non-whitelisted hosts and cors: true', () => {
    const scope = substituteSecureSettings(
      { url: 'http://127.0.0.1:9/?t={{setting.token}}', secure: true },
      context,
    );
    expect(scope).toMatchObject({ ok: false, status: 400 });
    expect(!scope.ok && scope.message).toContain('may not be used in the url');
    const host = substituteSecureSettings({ url: 'http://localhost:9/', secure: true }, context);
    expect(host).toMatchObject({ ok: false, status: 403 });
    expect(substituteSecureSettings({ url: 'https://api.example.test/', secure: true }, context).ok).toBe(
      true,
    );
    expect(
      substituteSecureSettings({ url: 'http://127.0.0.1:9/', secure: true, cors: true }, context).ok,
    ).toBe(false);
  });
});
