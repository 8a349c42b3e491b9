import { describe, expect, it } from 'vitest';
import { computeProgramme } from './compute-programme.ts';
import type { ProgrammeAnswer, ProgrammeCuts, ProgrammeTicket } from './programme-facts.ts';

const at = (iso: string): number => Date.parse(iso);
let seq = 0;
const answer = (
  kind: ProgrammeAnswer['kind'],
  score: number,
  cuts: ProgrammeCuts,
  when = '2026-03-10T10:00:00Z',
  extra: Partial<ProgrammeAnswer> = {},
): ProgrammeAnswer => ({
  id: `a${(seq += 1)}`,
  at: at(when),
  kind,
  scale: kind === 'nps' ? '0-10' : kind === 'csat' ? '1-5' : '1-7',
  score,
  ticketId: null,
  interactionId: null,
  comment: null,
  cuts,
  ...extra,
});
const ticket = (
  id: string,
  incident: boolean,
  cuts: ProgrammeCuts,
  when = '2026-03-10T10:00:00Z',
): ProgrammeTicket => ({
  id,
  at: at(when),
  incident,
  cuts,
});

const FR = { region: 'France', segment: 'SMB' } as const;
const DE = { region: 'Germany', segment: 'SMB' } as const;

const answers: ProgrammeAnswer[] = [
  // France: NPS 10, 9, 8, 3 → 2 promoters, 1 passive, 1 detractor → NPS 25
  answer('nps', 10, FR),
  answer('nps', 9, FR),
  answer('nps', 8, FR),
  answer('nps', 3, FR),
  // France CSAT 5, 4, 2 → 2 of 3 satisfied
  answer('csat', 5, FR),
  answer('csat', 4, FR),
  answer('csat', 2, FR),
  // France C:CER: interaction i1 CES 6 vs KE 2 (customer harder), i2 CES 3 vs KE 3 (balanced), CES 2 unpaired
  answer('ces', 6, FR, undefined, { interactionId: 'i1' }),
  answer('company_effort', 2, FR, undefined, { interactionId: 'i1' }),
  answer('ces', 3, FR, undefined, { ticketId: '77' }),
  answer('company_effort', 3, FR, undefined, { ticketId: '77' }),
  answer('ces', 2, FR),
  // Germany: NPS 6, 6 → NPS −100; CSAT good_bad "bad" (0)
  answer('nps', 6, DE, '2026-04-02T10:00:00Z'),
  answer('nps', 6, DE, '2026-04-02T10:00:00Z'),
  { ...answer('csat', 0, DE), scale: 'good_bad' },
  // Outside the period
  answer('nps', 0, FR, '2025-12-31T23:59:59Z'),
  answer('nps', 0, FR, '2026-07-01T00:00:00Z'),
];
const tickets: ProgrammeTicket[] = [
  ticket('1', true, FR),
  ticket('2', false, FR),
  ticket('3', false, FR),
  ticket('4', false, FR),
  ticket('5', true, DE),
  ticket('6', true, DE, '2026-08-01T00:00:00Z'),
];
const period = { fromMs: at('2026-01-01T00:00:00Z'), toMs: at('2026-07-01T00:00:00Z') };

describe('computeProgramme', () => {
  it('gives the whole programme with samples and intervals', () => {
    const report = computeProgramme({ answers, tickets }, { ...period, by: [], bucket: null });
    const { total } = report;
    expect(total.answers).toBe(15);
    expect(total.nps).toMatchObject({ n: 6, promoters: 2, passives: 1, detractors: 3 });
    expect(total.nps.score).toBeCloseTo(((2 - 3) * 100) / 6, 10);
    expect(total.nps.promoterShare.rate).toBeCloseTo(2 / 6, 10);
    expect(total.csat).toMatchObject({ successes: 2, n: 4, rate: 0.5 });
    expect(total.ces.n).toBe(3);
    expect(total.ces.mean).toBeCloseTo(11 / 3, 10);
    expect(total.companyEffort.mean).toBe(2.5);
    expect(total.effortRatio).toMatchObject({ pairs: 2, balanced: 1, companyHarder: 0 });
    expect(total.effortRatio.customerHarder).toMatchObject({ successes: 1, n: 2, rate: 0.5 });
    expect(total.effortRatio.meanRatio).toBe((6 / 2 + 1) / 2);
    expect(total.tickets).toBe(5);
    expect(total.incidents).toBe(2);
    expect(total.complaintRate.rate).toBe(0.4);
    expect(total.recommendations).toBe(2);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]!.cut).toEqual({});
  });

  it('cuts by region, sorted, each with its own figures', () => {
    const report = computeProgramme({ answers, tickets }, { ...period, by: ['region'], bucket: null });
    expect(report.rows.map((row) => row.cut)).toEqual([{ region: 'France' }, { region: 'Germany' }]);
    const [france, germany] = report.rows.map((row) => row.figures);
    expect(france!.nps.score).toBe(25);
    expect(france!.nps.interval!.low).toBeCloseTo(-56.26, 1);
    expect(france!.csat.rate).toBeCloseTo(2 / 3, 10);
    expect(france!.complaintRate).toMatchObject({ successes: 1, n: 4 });
    expect(germany!.nps.score).toBe(-100);
    expect(germany!.csat).toMatchObject({ successes: 0, n: 1 });
    expect(germany!.ces.mean).toBeNull();
    expect(germany!.effortRatio.meanRatio).toBeNull();
  });

  it('crosses cuts and buckets by month and ISO week; missing cuts read "(unknown)"', () => {
    const report = computeProgramme(
      { answers: [...answers, answer('nps', 9, {}, '2026-03-11T10:00:00Z')], tickets },
      { ...period, by: ['segment', 'region'], bucket: 'month' },
    );
    expect(report.rows.map((row) => [row.cut, row.bucket, row.figures.answers])).toEqual([
      [{ segment: '(unknown)', region: '(unknown)' }, '2026-03', 1],
      [{ segment: 'SMB', region: 'France' }, '2026-03', 12],
      [{ segment: 'SMB', region: 'Germany' }, '2026-03', 1],
      [{ segment: 'SMB', region: 'Germany' }, '2026-04', 2],
    ]);
    const weekly = computeProgramme({ answers, tickets }, { ...period, by: ['region'], bucket: 'week' });
    expect(weekly.rows.map((row) => row.bucket)).toEqual(['2026-W11', '2026-W11', '2026-W14']);
  });

  it('counts a balanced pair within the tolerance', () => {
    const report = computeProgramme(
      { answers, tickets: [] },
      { ...period, by: [], bucket: null, tolerance: 4 },
    );
    expect(report.total.effortRatio).toMatchObject({ balanced: 2, companyHarder: 0 });
    expect(report.total.complaintRate).toEqual({ successes: 0, n: 0, rate: null, interval: null });
  });
});
