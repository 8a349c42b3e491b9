// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/src/index.ts';
import { generateWorld } from '../../../sandbox/dataset/generate-world.ts';
import { observeIncidents } from './observe.ts';
import { formatTable, renderChart } from './render.ts';
import { POLICIES, costOf, simulatePolicies } from './simulate.ts';

const world = generateWorld({ seed: 11, accounts: 150 });
const sim = simulatePolicies(world, { runs: 40, seed: 3 });
const byPolicy = (name: string) => sim.results.find((r) => r.policy === name)!;

describe('observeIncidents', () => {
  it('gives policies shared decision inputs without the hidden truth', () => {
    const observed = observeIncidents(world);
    expect(observed).toHaveLength(world.incidents.length);
    const text = JSON.stringify(observed);
    expect(text).not.toMatch(/frailty|churned|effortClass|customer_harder/);
    for (const o of observed) {
      expect(o.input.feedback.every((f) => Date.parse(f.respondedAt) <= o.decidedAt)).toBe(true);
      expect(o.ces === null).toBe(!o.incident.surveyed);
    }
  });
});

describe('simulatePolicies', () => {
  it('runs every policy, deterministically', () => {
    expect(sim.results.map((r) => r.policy)).toEqual([...POLICIES]);
    const again = simulatePolicies(world, { runs: 40, seed: 3 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(sim));
  });

  it('applies each fixed policy as written and counts its cost', () => {
    const n = world.incidents.length;
    expect(byPolicy('nothing').actions.none).toBe(n);
    expect(byPolicy('nothing').cost).toBe(0);
    expect(byPolicy('apology_all').actions.apology).toBe(n);
    expect(byPolicy('compensation_all').actions.compensation).toBe(n);
    expect(byPolicy('compensation_all').cost).toBeCloseTo(
      n * costOf(DEFAULT_SETTINGS, 'compensation', 'goodwill_medium'),
      6,
    );
    const unsurveyed = world.incidents.filter((i) => !i.surveyed).length;
    expect(byPolicy('ces_only').actions.none).toBeGreaterThanOrEqual(unsurveyed);
    expect(byPolicy('callback_detractors').actions.apology).toBe(0);
  });

  it('lets interventions that help lower churn against doing nothing, on the same draws', () => {
    const nothing = byPolicy('nothing');
    expect(byPolicy('callback_detractors').churned.mean).toBeLessThan(nothing.churned.mean);
    expect(byPolicy('compensation_all').churned.mean).toBeLessThan(nothing.churned.mean);
    expect(nothing.netVsNothing).toEqual({ mean: 0, low: 0, high: 0 });
    for (const r of sim.results) expect(r.churned.low).toBeLessThanOrEqual(r.churned.high);
  });

  it('makes callbacks late when they exceed the capacity', () => {
    const tight = simulatePolicies(world, { runs: 2, capacityMinutesPerDay: 20 });
    const loose = simulatePolicies(world, { runs: 2, capacityMinutesPerDay: 100_000 });
    const late = (s: typeof sim) => s.results.find((r) => r.policy === 'compensation_all')!.lateCallbacks;
    expect(late(tight)).toBeGreaterThan(late(loose));
    const none = simulatePolicies(world, { runs: 2, capacityMinutesPerDay: 0 });
    expect(late(none)).toBe(world.incidents.length);
  });
});

describe('render', () => {
  it('prints one table line per policy', () => {
    const table = formatTable(sim);
    for (const r of sim.results) expect(table).toContain(r.label);
    expect(table).toContain('net vs nothing');
  });

  it('draws a well-formed, labelled SVG', () => {
    const svg = renderChart(sim);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    const texts = [...doc.getElementsByTagName('text')].map((t) => t.textContent);
    for (const r of sim.results) expect(texts).toContain(r.label);
    expect(texts).toContain('Net value vs doing nothing');
    expect(texts).toContain('Customers lost');
    expect(doc.getElementsByTagName('rect').length).toBe(1 + 3 * sim.results.length);
  });
});
