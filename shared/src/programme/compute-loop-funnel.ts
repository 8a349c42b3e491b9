import { cutOf, UNKNOWN_CUT, type ProgrammeCuts, type ProgrammeDimension } from './programme-facts.ts';
import { toProportion, type Proportion } from './statistics.ts';

/** One recorded decision (the intervention ledger) with what followed it. */
export interface FunnelEntry {
  /** ms since the epoch. */
  readonly decidedAt: number;
  readonly action: string;
  /** Applied in Zendesk (the ticket was tagged, the note posted). */
  readonly applied: boolean;
  /** ms; null when nobody has contacted the customer yet. */
  readonly firstContactAt: number | null;
  /** The callback deadline (ms), when the action has one. */
  readonly dueAt: number | null;
  /** The loop ended resolved, compensated or recovered. */
  readonly resolved: boolean;
  /** ms of the customer's next revenue (order, won opportunity) after the decision; null when none. */
  readonly nextRevenueAt: number | null;
  /** The customer's revenue over the last 12 months (the money at stake), null when the CRM has none. */
  readonly valueAtRisk: number | null;
  readonly cuts: ProgrammeCuts;
}

export const FUNNEL_STEPS = [
  'incidents',
  'recommended',
  'applied',
  'contacted_within_sla',
  'resolved',
  'retained',
] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export interface FunnelStepFigures {
  readonly step: FunnelStep;
  readonly count: number;
  /** count / the previous step's count (Wilson interval); the first step has none. */
  readonly ofPrevious: Proportion | null;
  /** Sum of the value at risk of the entries at this step. */
  readonly value: number;
}

export interface FunnelRow {
  readonly cut: Readonly<Record<string, string>>;
  readonly steps: readonly FunnelStepFigures[];
  /** € at risk of the recommended interventions, and the part of it whose customer was retained. */
  readonly valueAtRisk: number;
  readonly valueRecovered: number;
}

export interface FunnelOptions {
  /** A customer counts as retained when revenue follows within this many days (default 90). */
  readonly retentionDays?: number;
  /** The instant of the data: a decision younger than the retention window cannot be judged yet. */
  readonly asOfMs: number;
  readonly by?: readonly ProgrammeDimension[];
}

/**
 * The closed-loop funnel: incidents decided → an action recommended → applied → first contact within the callback
 * deadline (actions without a deadline pass when contacted at all) → resolved → customer retained (revenue within
 * `retentionDays` of the decision; decisions younger than that are left out of this last step and of the
 * recovered value). Each step carries its count, its share of the previous step, and the value at risk.
 */
export function computeLoopFunnel(entries: readonly FunnelEntry[], options: FunnelOptions): FunnelRow[] {
  const windowMs = (options.retentionDays ?? 90) * 86_400_000;
  const by = options.by ?? [];
  const groups = new Map<string, { cut: string[]; entries: FunnelEntry[] }>();
  for (const entry of entries) {
    const cut = by.map((dimension) => cutOf(entry.cuts, dimension));
    const key = cut.join('\u0000');
    let group = groups.get(key);
    if (group === undefined) {
      group = { cut, entries: [] };
      groups.set(key, group);
    }
    group.entries.push(entry);
  }
  return [...groups.values()]
    .sort((a, b) => a.cut.join('\u0000').localeCompare(b.cut.join('\u0000')))
    .map(({ cut, entries: list }) => {
      const recommended = list.filter((e) => e.action !== 'none');
      const applied = recommended.filter((e) => e.applied);
      const contacted = applied.filter(
        (e) => e.firstContactAt !== null && (e.dueAt === null || e.firstContactAt <= e.dueAt),
      );
      const resolved = contacted.filter((e) => e.resolved);
      const judged = resolved.filter((e) => e.decidedAt + windowMs <= options.asOfMs);
      const retained = judged.filter(
        (e) =>
          e.nextRevenueAt !== null &&
          e.nextRevenueAt > e.decidedAt &&
          e.nextRevenueAt <= e.decidedAt + windowMs,
      );
      const value = (items: readonly FunnelEntry[]): number =>
        items.reduce((sum, e) => sum + (e.valueAtRisk ?? 0), 0);
      const stages: [FunnelStep, readonly FunnelEntry[], number | null][] = [
        ['incidents', list, null],
        ['recommended', recommended, list.length],
        ['applied', applied, recommended.length],
        ['contacted_within_sla', contacted, applied.length],
        ['resolved', resolved, contacted.length],
        ['retained', retained, judged.length],
      ];
      return {
        cut: Object.fromEntries(by.map((dimension, index) => [dimension, cut[index] ?? UNKNOWN_CUT])),
        steps: stages.map(([step, items, previous]) => ({
          step,
          count: items.length,
          ofPrevious: previous === null ? null : toProportion(items.length, previous),
          value: value(items),
        })),
        valueAtRisk: value(recommended),
        valueRecovered: value(retained),
      };
    });
}
