// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { en } from './i18n/en.ts';
import { fr } from './i18n/fr.ts';
import { consoleI18n } from './i18n/i18n.tsx';
import { createRouteStore, routeOf } from './route.ts';
import { experimentReportSchema } from '../../../shared/src/programme/experiment-report.ts';
import { endOfLocalDay } from './screens/callbacks.tsx';
import { experimentFrom } from './screens/experiment.tsx';
import { cutSeries, figureOf } from './screens/explore.tsx';
import { periodsEndingAt } from './screens/period.ts';

describe('the console’s pieces', () => {
  it('has every English message in French, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[])
      expect(placeholders(fr[key])).toEqual(placeholders(en[key]));
  });

  it('reads the section from the nav_bar sub-path, the overview otherwise', () => {
    expect(routeOf('callbacks')).toBe('callbacks');
    expect(routeOf('/signals/belgium')).toBe('signals');
    expect(routeOf('')).toBe('overview');
    expect(routeOf('nope')).toBe('overview');
  });

  it('follows app.route.changed and puts its own moves in the address bar with routeTo', () => {
    const handlers: ((data: unknown) => void)[] = [];
    const invokes: unknown[] = [];
    const routes = createRouteStore({
      on: (_event, handler) => {
        handlers.push(handler);
        return () => undefined;
      },
      invoke: (call) => {
        invokes.push(call.args);
        return Promise.resolve();
      },
    });
    const seen: string[] = [];
    routes.subscribe((s) => seen.push(s));
    handlers[0]!({ appRoute: 'explore' });
    routes.go('callbacks');
    expect(seen).toEqual(['explore', 'callbacks']);
    expect(invokes).toEqual([['nav_bar', 'boucle', 'callbacks']]);
  });

  it('compares the last 3 months of the data with the 3 before', () => {
    expect(periodsEndingAt('2026-11-01T00:00:00.000Z')).toEqual({
      current: { from: '2026-08-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' },
      previous: { from: '2026-05-01T00:00:00.000Z', to: '2026-08-01T00:00:00.000Z' },
    });
  });

  it('formats in the agent’s language', () => {
    expect(consoleI18n('fr').percent(0.315)).toBe('32 %');
    expect(consoleI18n('en').percent(0.315)).toBe('32%');
    expect(consoleI18n('fr').month('2026-08')).toBe('août 2026');
    expect(consoleI18n('en').month('2026-08')).toBe('Aug 2026');
  });

  it('takes each metric’s value, interval and sample from the programme figures', () => {
    const figures = {
      answers: 10,
      nps: { n: 8, score: -25, interval: { low: -60, high: 10 } },
      csat: { successes: 3, n: 6, rate: 0.5, interval: { low: 0.19, high: 0.81 } },
      ces: { n: 4, mean: 5.5, interval: null },
      effortRatio: { pairs: 0, customerHarder: { successes: 0, n: 0, rate: null, interval: null } },
      tickets: 5,
      incidents: 1,
      complaintRate: { successes: 1, n: 5, rate: 0.2, interval: { low: 0.04, high: 0.62 } },
    };
    expect(figureOf(figures, 'csat')).toEqual({ value: 0.5, low: 0.19, high: 0.81, n: 6 });
    expect(figureOf(figures, 'nps')).toEqual({ value: -25, low: -60, high: 10, n: 8 });
    expect(figureOf(figures, 'ces')).toEqual({ value: 5.5, low: null, high: null, n: 4 });
    expect(figureOf(figures, 'complaints').n).toBe(5);
  });
});

describe('the test and learn tab reads the shared experiment schema', () => {
  const estimate = { n: 120, successes: 60, value: 0.5, interval: { low: 0.41, high: 0.59 } };
  const report = {
    from: '2026-05-01T00:00:00.000Z',
    to: '2026-11-01T00:00:00.000Z',
    asOf: '2026-11-01T00:00:00.000Z',
    retentionDays: 90,
    repeatDays: 30,
    by: [],
    experiment: { id: 'exp-1', holdoutPercent: 10 },
    design: { alpha: 0.05, power: 0.8 },
    rows: [
      {
        cut: {},
        arms: {
          policy: { incidents: 120, customers: 100, interventions: 90, cost: 900, valueAtRisk: 50_000 },
          holdout: { incidents: 14, customers: 12, interventions: 0, cost: 0, valueAtRisk: 6_000 },
        },
        outcomes: [
          {
            outcome: 'retention',
            measure: 'proportion',
            better: 'higher',
            policy: estimate,
            holdout: { ...estimate, n: 14, successes: 5, value: 5 / 14 },
            uplift: 0.14,
            upliftInterval: { low: -0.12, high: 0.4 },
            pValue: 0.3,
            minimumEffect: 0.05,
            samplePerArm: 1_500,
            verdict: 'no_difference_yet',
          },
        ],
      },
    ],
  };
  it('accepts the connector’s report and refuses another shape', () => {
    expect(experimentReportSchema.safeParse(report).success).toBe(true);
    expect(experimentReportSchema.safeParse({ ...report, rows: 'none' }).success).toBe(false);
  });

  it("asks for today's callbacks up to the agent's local midnight, and for the experiment's whole run", () => {
    const now = new Date(2026, 11, 2, 23, 30).getTime(); // 23:30 on 2 Dec, the test machine's local time
    expect(new Date(endOfLocalDay(now)).getTime()).toBe(new Date(2026, 11, 3, 0, 0).getTime());
    expect(new Date(endOfLocalDay(new Date(2026, 11, 3, 0, 0).getTime())).getTime()).toBe(
      new Date(2026, 11, 4, 0, 0).getTime(),
    );
    expect(experimentFrom(Date.parse('2026-12-02T10:00:00Z'))).toBe('2024-12-01');
  });

  it("draws the selected cut's own months: gaps where the cut had no answers, never the programme's figures", () => {
    const figures = (rate: number, n: number) =>
      ({
        csat: { rate, interval: { low: rate - 0.1, high: rate + 0.1 }, n },
      }) as unknown as Parameters<typeof figureOf>[0];
    const rows = [
      { cut: { region: 'Belgium' }, bucket: '2026-07', figures: figures(0.8, 40) },
      { cut: { region: 'France' }, bucket: '2026-07', figures: figures(0.9, 400) },
      { cut: { region: 'Belgium' }, bucket: '2026-09', figures: figures(0.3, 25) },
      { cut: { region: 'Belgium' }, bucket: '2026-10', figures: figures(0.5, 0) },
    ];
    expect(
      cutSeries(['2026-07', '2026-08', '2026-09', '2026-10'], rows, 'region', 'Belgium', 'csat'),
    ).toEqual([
      { bucket: '2026-07', value: 0.8, low: 0.8 - 0.1, high: 0.8 + 0.1, n: 40 },
      { bucket: '2026-08', value: null, low: null, high: null, n: 0 },
      { bucket: '2026-09', value: 0.3, low: 0.3 - 0.1, high: 0.3 + 0.1, n: 25 },
      { bucket: '2026-10', value: null, low: null, high: null, n: 0 },
    ]);
  });
});
