import { describe, expect, it } from 'vitest';
import { BOUCLE_TAGS, CRM_FIELD_KEYS, CRM_FIELD_TYPES, isBoucleTag } from './data-model.ts';

describe('the Zendesk data model', () => {
  it('owns only boucle_ keys, and types every CRM field', () => {
    for (const key of Object.values(CRM_FIELD_KEYS)) expect(isBoucleTag(key)).toBe(true);
    expect(Object.keys(CRM_FIELD_TYPES).sort()).toEqual(Object.keys(CRM_FIELD_KEYS).sort());
  });

  it.each([
    ['boucle_callback', true],
    ['vip', false],
    ['xboucle_', false],
  ] as const)('isBoucleTag(%s) is %s', (tag, expected) => {
    expect(isBoucleTag(tag)).toBe(expected);
  });

  it('names action tags after the action', () => {
    expect(BOUCLE_TAGS.action('callback')).toBe('boucle_callback');
  });
});
