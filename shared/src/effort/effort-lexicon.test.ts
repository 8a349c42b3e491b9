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

  it('finds the same phrases whether a matched text is new or remembered, and when a longer phrase fails', () => {
    // "no answer" fails before a letter ("no answerx"): the shorter "no" still matches there.
    const custom = compileLexicon([
      { phrase: 'no', weight: 0.1 },
      { phrase: 'no answer', weight: 1 },
    ]);
    const texts = ['no answerx', 'NO ANSWERS.', 'No answer', 'no problèmes', 'Nobody, no'];
    const expected = [
      { phrases: ['no'], weight: 0.1 },
      { phrases: ['no answer'], weight: 1 },
      { phrases: ['no answer'], weight: 1 },
      { phrases: ['problème', 'no'], weight: 0.35 },
      { phrases: ['nobody', 'no'], weight: 0.6 },
    ];
    for (let round = 0; round < 3; round += 1) {
      texts.forEach((text, index) => {
        const match = custom.match([text]);
        expect(match.phrases).toEqual(expected[index]!.phrases);
        expect(match.weight).toBeCloseTo(expected[index]!.weight, 9);
      });
      // More matched texts than are remembered: the memory is emptied and filled again.
      for (let n = 0; n < 300; n += 1) custom.match([`problem${'e'.repeat(n % 2)}s ${'x'.repeat(n)} encore`]);
    }
  });
});
