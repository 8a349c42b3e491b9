import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { createTranslator, formatDecimal, loadMessages, toSidebarLocale } from './i18n.ts';

describe('i18n', () => {
  it('has every key in both languages, with the same placeholders', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
      expect(fr[key].trim(), key).not.toBe('');
    }
  });

  it.each([
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['FR', 'fr'],
    ['en-US', 'en'],
    ['de', 'en'],
    [null, 'en'],
  ] as const)('maps the Zendesk locale %s to %s', (zendesk, sidebar) => {
    expect(toSidebarLocale(zendesk)).toBe(sidebar);
  });

  it('writes decimals with the separator of the locale', () => {
    expect(formatDecimal('en', 2, 2)).toBe('2.00');
    expect(formatDecimal('fr', 2, 2)).toBe('2,00');
    expect(formatDecimal('fr', 6.5, 1)).toBe('6,5');
  });

  it('translates a language only once its messages are loaded, each language on its own', async () => {
    // This file's module state is its own: nothing loaded either language before.
    expect(() => createTranslator('en')).toThrow(/the en messages are not loaded yet/);
    const [first, again] = await Promise.all([loadMessages('en'), loadMessages('en')]);
    expect(first('state.retry')).toBe('Retry');
    expect(createTranslator('en')('state.retry')).toBe('Retry');
    expect(again('apply.button')).toBe(en['apply.button']);
    expect(() => createTranslator('fr')).toThrow(/the fr messages are not loaded yet/);
  });

  it('interpolates and refuses a missing value', async () => {
    await loadMessages('fr');
    const t = createTranslator('fr');
    expect(t('loop.status', { status: 'ouvert' })).toBe('Statut : ouvert');
    expect(() => t('loop.status')).toThrow(/needs a value for \{\{status\}\}/);
  });
});
