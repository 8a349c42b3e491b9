import { describe, expect, it } from 'vitest';
import { describeSign } from './describe-sign.ts';
import { extractPhrases } from './extract-phrases.ts';
import type { ProgrammeAnswer, ProgrammeTicket } from './programme-facts.ts';
import { scanSignals } from './scan-signals.ts';

const AS_OF = Date.parse('2026-11-05T00:00:00Z');
const MONTHS = ['02', '03', '04', '05', '06', '07', '08', '09', '10'].map((m) => `2026-${m}`);
const REGIONS = ['France', 'Germany', 'Spain', 'Italy'] as const;

/** Deterministic facts: 40 CSAT, 40 NPS answers and 50 tickets per region and month, with known changes. */
function plantedFacts(): { answers: ProgrammeAnswer[]; tickets: ProgrammeTicket[] } {
  const answers: ProgrammeAnswer[] = [];
  const tickets: ProgrammeTicket[] = [];
  let seq = 0;
  for (const month of MONTHS) {
    const recent = month >= '2026-08';
    for (const region of REGIONS) {
      const cuts = { region, language: region === 'France' ? 'fr' : 'en', segment: 'SMB' };
      const satisfied = region === 'France' && recent ? 24 : 34;
      const [promoters, detractors] =
        region === 'Spain' && month >= '2026-09'
          ? [10, 18]
          : region === 'Italy' && recent
            ? [12, 8]
            : [20, 8];
      const incidents = region === 'Italy' && recent ? 15 : 5;
      for (let i = 0; i < 40; i += 1) {
        seq += 1;
        const at = Date.parse(`${month}-${String(1 + (i % 27)).padStart(2, '0')}T10:00:00Z`);
        const ticketId = `t${seq}`;
        const keyword = region === 'France' && recent && i < 15;
        answers.push({
          id: `c${seq}`,
          at,
          kind: 'csat',
          scale: '1-5',
          score: i < satisfied ? 5 : 2,
          ticketId,
          interactionId: null,
          comment: keyword
            ? 'Encore une attente interminable, problème non résolu'
            : i % 4 === 0
              ? 'Service correct, merci'
              : null,
          cuts,
        });
        answers.push({
          id: `n${seq}`,
          at,
          kind: 'nps',
          scale: '0-10',
          score: i < promoters ? 10 : i < 40 - detractors ? 8 : 3,
          ticketId,
          interactionId: null,
          comment: null,
          cuts,
        });
      }
      for (let i = 0; i < 50; i += 1) {
        seq += 1;
        tickets.push({
          id: `t${seq}`,
          at: Date.parse(`${month}-${String(1 + (i % 27)).padStart(2, '0')}T09:00:00Z`),
          incident: i < incidents,
          cuts,
        });
      }
    }
  }
  return { answers, tickets };
}

describe('scanSignals', () => {
  const facts = plantedFacts();
  const scan = scanSignals(facts, { asOfMs: AS_OF, dimensions: ['region', 'segment', 'language'] });
  const found = (kind: string, value: string) =>
    scan.signs.find((sign) => sign.kind === kind && sign.value === value);

  it('compares the recent three months with the six before', () => {
    expect(new Date(scan.baseline.fromMs).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(new Date(scan.recent.fromMs).toISOString()).toBe('2026-08-01T00:00:00.000Z');
    expect(new Date(scan.recent.toMs).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('finds the falling CSAT of France, by how much, since when, on how many answers', () => {
    const sign = found('csat_falling', 'France')!;
    expect(sign).toBeDefined();
    expect(sign.baseline).toMatchObject({ successes: 6 * 34, n: 240 });
    expect(sign.recent).toMatchObject({ successes: 3 * 24, n: 120 });
    expect(sign.change).toBeCloseTo(0.6 - 0.85, 10);
    expect(sign.since).toBe('2026-08');
    expect(sign.answers).toBe(120);
    expect(sign.qValue).toBeLessThan(0.001);
    expect(sign.ticketCount).toBe(3 * 16);
    expect(sign.tickets).toHaveLength(20);
  });

  it('finds Spain’s detractors rising and promoters falling since September', () => {
    expect(found('detractors_rising', 'Spain')!.since).toBe('2026-09');
    const promoters = found('promoters_falling', 'Spain')!;
    expect(promoters.since).toBe('2026-09');
    expect(promoters.recent).toMatchObject({ successes: 20 + 10 + 10, n: 120 });
  });

  it('finds complaints up while recommendations fall in Italy, with both halves', () => {
    const sign = found('complaints_up_recommendations_down', 'Italy')!;
    expect(sign.metric).toBe('complaint_rate');
    expect(sign.recent).toMatchObject({ successes: 45, n: 150 });
    expect(sign.also!.metric).toBe('promoter_share');
    expect(sign.also!.change).toBeCloseTo(0.3 - 0.5, 10);
    // the combined sign is as uncertain as its weaker half
    expect(sign.pValue).toBeGreaterThanOrEqual(sign.also!.pValue);
    expect(sign.ticketCount).toBe(45);
    const alone = found('complaints_rising', 'Italy')!;
    expect(alone.recent).toEqual(sign.recent);
    expect(alone.also).toBeNull();
    expect(alone.since).toBe('2026-08');
    expect(scan.signs.filter((s) => s.kind === 'complaints_rising').map((s) => s.value)).toEqual(
      expect.arrayContaining(['Italy']),
    );
  });

  it('raises nothing on the stable region', () => {
    expect(scan.signs.filter((sign) => sign.value === 'Germany')).toEqual([]);
  });

  it('finds the emerging French phrase, not the stable one', () => {
    const keywords = scan.signs.filter((sign) => sign.kind === 'emerging_keyword');
    expect(keywords.length).toBeGreaterThan(0);
    expect(keywords.every((sign) => sign.value === 'fr')).toBe(true);
    expect(keywords.some((sign) => sign.phrase!.includes('attente interminable'))).toBe(true);
    expect(keywords.some((sign) => sign.phrase!.includes('correct'))).toBe(false);
    // the contained single words are folded into the longer phrases
    expect(keywords.some((sign) => sign.phrase === 'attente')).toBe(false);
    expect(keywords[0]!.recent.successes).toBe(45);
    expect(keywords[0]!.ticketCount).toBe(45);
    expect(scan.keywordsTested).toBeGreaterThanOrEqual(keywords.length);
  });

  it('leaves small cuts untested and respects the minimum change', () => {
    const small = scanSignals(facts, { asOfMs: AS_OF, dimensions: ['region'], minSample: 1000 });
    expect(small.tested).toBe(0);
    expect(small.tooSmall).toBe(5 * 5);
    expect(small.signs).toEqual([]);
    const strict = scanSignals(facts, { asOfMs: AS_OF, dimensions: ['region'], minChange: 0.5 });
    expect(strict.signs.filter((sign) => sign.kind !== 'emerging_keyword')).toEqual([]);
  });

  it('says it in English and in French', () => {
    const sign = found('csat_falling', 'France')!;
    expect(describeSign(sign, 'en')).toBe(
      'CSAT falling — region = France — satisfied: 85.0 % (n = 240) → 60.0 % (n = 120), -25.0 points — since 2026-08 — q = < 0.001 — 48 ticket(s)',
    );
    expect(describeSign(sign, 'fr')).toContain('CSAT en baisse — region = France — satisfaits : 85,0 %');
    const combined = describeSign(found('complaints_up_recommendations_down', 'Italy')!, 'en');
    expect(combined).toContain(
      'tickets that are incidents: 10.0 % (n = 300) → 30.0 % (n = 150), +20.0 points',
    );
    expect(combined).toContain('promoters: 50.0 %');
    const keyword = scan.signs.find((s) => s.kind === 'emerging_keyword')!;
    expect(describeSign(keyword, 'en')).toMatch(/^Emerging keyword — ".+" \(fr\)/);
    expect(describeSign({ ...sign, dimension: 'all', qValue: 0.0123 }, 'fr')).toContain('tout le programme');
    expect(describeSign({ ...sign, dimension: 'all', qValue: 0.0123 }, 'en')).toContain(
      'whole programme — satisfied',
    );
  });
});

describe('extractPhrases', () => {
  it('keeps runs of words that do not start or end with a stop word, accents removed, once each', () => {
    expect([...extractPhrases("J'ai été appelé à nouveau, à nouveau !")].sort()).toEqual(
      ['appele', 'appele a nouveau', 'nouveau', 'nouveau a nouveau'].sort(),
    );
    expect([...extractPhrases('Still waiting for the refund')].sort()).toEqual(
      ['refund', 'still', 'still waiting', 'waiting'].sort(),
    );
    expect(extractPhrases('ok ko')).toEqual(new Set(['ok ko']));
  });
});
