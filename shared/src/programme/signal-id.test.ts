import { describe, expect, it } from 'vitest';
import { signalId } from './signal-id.ts';

describe('signalId', () => {
  it('names a cut sign by kind, dimension and value, URL-safe', () => {
    expect(signalId({ kind: 'csat_falling', dimension: 'region', value: 'Belgium', phrase: null })).toBe(
      'csat-falling.region.belgium',
    );
  });
  it('adds the phrase of a keyword, accents and spaces folded', () => {
    expect(
      signalId({ kind: 'emerging_keyword', dimension: 'all', value: 'fr', phrase: "l'application plante" }),
    ).toBe('emerging-keyword.all.fr.l-application-plante');
    expect(
      signalId({ kind: 'csat_falling', dimension: 'region', value: 'Île-de-France', phrase: null }),
    ).toBe('csat-falling.region.ile-de-france');
  });
});
