import { describe, expect, it } from 'vitest';
import { BUILT_IN_EFFORT_LEXICON, compileLexicon, normalizeText } from './effort-lexicon.ts';

describe('effort lexicon', () => {
  const lexicon = compileLexicon([]);

  it.each([
    [['Toujours pas de réponse !'], ['toujours pas'], 0.75],
    [['TOUJOURS PAS, troisième fois que je vous écris'], ['toujours pas', 'troisième fois'], 1.75],
    [
      ["J'ai été rappelé, puis appelé à nouveau… encore une attente"],
      ['encore', 'rappelé', 'appelé à nouveau', 'attente'],
      2.25,
    ],
    [['Des problemes, des attentes'], ['attente', 'problème'], 0.75],
    [
      ['Still waiting. Called again for the third time.'],
      ['still waiting', 'called again', 'third time'],
      2.5,
    ],
    [['This is against policy'], [], 0],
    [['again', 'AGAIN and again'], ['again'], 0.5],
    [[], [], 0],
    [['Merci beaucoup'], [], 0],
  ])('%j → %j', (texts, phrases, weight) => {
    const match = lexicon.match(texts);
    expect(match.phrases).toEqual(phrases);
    expect(match.weight).toBeCloseTo(weight, 9);
  });

  it('lets admins add phrases and re-weigh built-in ones', () => {
    const custom = compileLexicon([
      { phrase: 'ça suffit', weight: 2 },
      { phrase: 'Encore', weight: 0.1 },
      { phrase: 'a+b (sic)', weight: 1 },
    ]);
    expect(custom.match(['Ca suffit, encore ! a+b (sic)'])).toEqual({
      phrases: ['Encore', 'ça suffit', 'a+b (sic)'],
      weight: 3.1,
    });
  });

  it('normalises case and accents', () => {
    expect(normalizeText('Problème RÉGLÉ à nouveau')).toBe('probleme regle a nouveau');
    expect(BUILT_IN_EFFORT_LEXICON.some((entry) => entry.phrase === 'toujours pas')).toBe(true);
    expect(BUILT_IN_EFFORT_LEXICON.some((entry) => entry.phrase === 'still waiting')).toBe(true);
  });
});
