import { describe, expect, it } from 'vitest';
import { scanSignals, type SignalScan } from '../../shared/src/index.ts';
import { generateWorld, type World } from './generate-world.ts';
import { plantedReportRows } from './planted-report.ts';
import { programmeFactsOf } from './world-programme-facts.ts';

const SEEDS = [42, 1];
const scanOf = (world: World): SignalScan => scanSignals(programmeFactsOf(world), { asOfMs: world.now });

describe('planted programme signals', () => {
  const planted = SEEDS.map((seed) => generateWorld({ seed }));
  const scans = planted.map(scanOf);

  it('plants three signals from three months before the present, and the report prints them', () => {
    for (const world of planted) {
      expect(world.planted.map((p) => [p.kind, p.dimension, p.value, p.since])).toEqual([
        ['csat_falling', 'region', 'Belgium', '2026-08'],
        ['complaints_rising', 'product', 'mobile', '2026-08'],
        ['emerging_keyword', 'language', 'fr', '2026-08'],
      ]);
      const rows = plantedReportRows(world);
      expect(rows.map((row) => row.figure)).toEqual([
        'planted: CSAT falls in Belgium from 2026-08',
        'planted: complaints rise on product mobile from 2026-08',
        `planted: "l'application plante" in French comments from 2026-08`,
      ]);
      expect(rows[0]!.value).toBeLessThan(-0.2);
      expect(rows[1]!.value).toBeGreaterThan(0.1);
      expect(rows[2]!.value).toBeGreaterThan(0.15);
    }
  });

  it('finds every planted signal, with its cut, direction and month', () => {
    planted.forEach((world, index) => {
      const scan = scans[index]!;
      for (const plant of world.planted) {
        const sign = scan.signs.find(
          (s) =>
            s.kind === plant.kind &&
            s.dimension === plant.dimension &&
            s.value === plant.value &&
            (plant.phrase === null || s.phrase === plant.phrase),
        );
        expect(sign, `${plant.description} (seed ${world.seed})`).toBeDefined();
        expect(sign!.since).toBe(plant.since);
        expect(sign!.qValue).toBeLessThan(0.01);
        expect(sign!.ticketCount).toBeGreaterThan(20);
      }
    });
  });

  it('raises nothing else: no alarm on the stable cuts of the planted worlds', () => {
    planted.forEach((world, index) => {
      const scan = scans[index]!;
      expect(scan.tested).toBeGreaterThan(100);
      expect(scan.signs).toHaveLength(world.planted.length);
    });
  });

  it('raises nothing on the same worlds without plants', () => {
    for (const seed of SEEDS) {
      const scan = scanOf(generateWorld({ seed, plantSignals: false }));
      expect(scan.tested).toBeGreaterThan(100);
      expect(scan.signs).toEqual([]);
    }
  });

  it('leaves the rest of the world as it was drawn', () => {
    const plain = generateWorld({ seed: 42, plantSignals: false });
    const world = planted[0]!;
    expect(world.tickets.map((t) => t.id)).toEqual(plain.tickets.map((t) => t.id));
    expect(world.incidents).toEqual(plain.incidents);
    const before = Date.parse('2026-08-01T00:00:00Z');
    const early = (w: World) => w.answers.filter((a) => a.respondedAt < before);
    expect(early(world)).toEqual(early(plain));
    expect(world.tickets.every((t) => t.tags.some((tag) => tag.startsWith('product_')))).toBe(true);
  });
});
