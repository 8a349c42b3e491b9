import { describe, expect, it } from 'vitest';
import { lazyCatalogues } from './catalogues.ts';

describe('lazyCatalogues', () => {
  it('loads a language once, on demand, and translates synchronously afterwards', async () => {
    const calls: string[] = [];
    const catalogues = lazyCatalogues<'hello'>({
      en: () => {
        calls.push('en');
        return Promise.resolve({ hello: 'Hello {{name}}' });
      },
      fr: () => {
        calls.push('fr');
        return Promise.resolve({ hello: 'Bonjour {{name}}' });
      },
    });
    expect(calls).toEqual([]);
    expect(() => catalogues.translator('fr')).toThrow(/the fr messages are not loaded yet/);
    const [t] = await Promise.all([catalogues.load('fr'), catalogues.load('fr')]);
    expect(t('hello', { name: 'Ana' })).toBe('Bonjour Ana');
    expect(catalogues.translator('fr')('hello', { name: 'Léa' })).toBe('Bonjour Léa');
    expect(calls).toEqual(['fr']);
    expect(() => catalogues.translator('en')).toThrow(/the en messages are not loaded yet/);
  });

  it('says which language failed to load, and tries again on the next call', async () => {
    let attempts = 0;
    const catalogues = lazyCatalogues<'hello'>({
      en: () => Promise.resolve({ hello: 'Hello' }),
      fr: () => {
        attempts += 1;
        return attempts === 1
          ? Promise.reject(new Error('Failed to fetch dynamically imported module'))
          : Promise.resolve({ hello: 'Bonjour' });
      },
    });
    await expect(catalogues.load('fr')).rejects.toThrow(
      'The fr messages could not be loaded (Failed to fetch dynamically imported module): reload the app.',
    );
    expect((await catalogues.load('fr'))('hello')).toBe('Bonjour');
    expect(attempts).toBe(2);
  });
});
