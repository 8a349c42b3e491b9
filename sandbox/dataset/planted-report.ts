/** The planted programme signals as rows of `boucle generate --report`: what was planted, and its realised size. */
import { addMonths, computeProgramme, extractPhrases } from '../../shared/src/index.ts';
import type { World } from './generate-world.ts';
import type { ReportRow } from './report.ts';
import { programmeFactsOf } from './world-programme-facts.ts';

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

export function plantedReportRows(world: World): ReportRow[] {
  if (world.planted.length === 0) return [];
  const facts = programmeFactsOf(world);
  const to = addMonths(world.now, 0);
  return world.planted.map((plant): ReportRow => {
    const from = Date.parse(`${plant.since}-01T00:00:00Z`);
    const windows = [
      { fromMs: addMonths(from, -6), toMs: from },
      { fromMs: from, toMs: to },
    ];
    let before: number | null;
    let after: number | null;
    let n: string;
    if (plant.kind === 'emerging_keyword') {
      const shares = windows.map((w) => {
        const comments = facts.answers.filter(
          (a) => a.at >= w.fromMs && a.at < w.toMs && a.comment !== null && a.cuts.language === plant.value,
        );
        const holding = comments.filter((a) => extractPhrases(a.comment!).has(plant.phrase!)).length;
        return { rate: comments.length === 0 ? null : holding / comments.length, n: comments.length };
      });
      [before, after] = [shares[0]!.rate, shares[1]!.rate];
      n = `${shares[0]!.n} → ${shares[1]!.n} comments`;
    } else {
      const figures = windows.map((w) => {
        const report = computeProgramme(facts, { ...w, by: [plant.dimension], bucket: null });
        return report.rows.find((row) => row.cut[plant.dimension] === plant.value)!.figures;
      });
      const share = (f: (typeof figures)[number]) =>
        plant.kind === 'csat_falling' ? f.csat : f.complaintRate;
      [before, after] = [share(figures[0]!).rate, share(figures[1]!).rate];
      n = `${share(figures[0]!).n} → ${share(figures[1]!).n} ${plant.kind === 'csat_falling' ? 'answers' : 'tickets'}`;
    }
    return {
      figure: `planted: ${plant.description}`,
      target: 'raised by report signals',
      realised: `${pct(before)} (6 months before) → ${pct(after)} (since ${plant.since}); ${n}`,
      value: (after ?? 0) - (before ?? 0),
    };
  });
}
