import { computeEffortRatio } from '../metrics/feedback-metrics.ts';
import {
  customerEffortOf,
  cutOf,
  isoWeekOf,
  isSatisfied,
  monthOf,
  type ProgrammeAnswer,
  type ProgrammeDimension,
  type ProgrammeFacts,
  type ProgrammeTicket,
} from './programme-facts.ts';
import {
  npsInterval,
  toMeanEstimate,
  toProportion,
  type Interval,
  type MeanEstimate,
  type Proportion,
} from './statistics.ts';

export const PROGRAMME_BUCKETS = ['week', 'month'] as const;
export type ProgrammeBucket = (typeof PROGRAMME_BUCKETS)[number];

export interface ProgrammeQuery {
  /** Inclusive start, ms since the epoch. */
  readonly fromMs: number;
  /** Exclusive end, ms since the epoch. */
  readonly toMs: number;
  /** The cuts, crossed (segment × product × region …); empty: the whole programme only. */
  readonly by: readonly ProgrammeDimension[];
  /** Split each cut over time; null: the whole period. */
  readonly bucket: ProgrammeBucket | null;
  /** C:CER tolerance: |CES − company effort| ≤ tolerance is balanced (default 0). */
  readonly tolerance?: number;
}

export interface NpsFigures {
  readonly n: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  /** %promoters − %detractors, −100…100; null without answers. */
  readonly score: number | null;
  /** Normal-approximation 95 % interval of the score; null without answers. */
  readonly interval: Interval | null;
  readonly promoterShare: Proportion;
  readonly detractorShare: Proportion;
}

export interface EffortRatioFigures {
  /** Interactions with both a CES and a company-effort answer. */
  readonly pairs: number;
  /** Share of pairs where the customer made more effort than the company (C:CER `customer_harder`). */
  readonly customerHarder: Proportion;
  readonly balanced: number;
  readonly companyHarder: number;
  /** Mean of CES / company effort over the pairs. */
  readonly meanRatio: number | null;
}

export interface ProgrammeFigures {
  /** Survey answers of every kind. */
  readonly answers: number;
  readonly nps: NpsFigures;
  /** Satisfied CSAT answers / CSAT answers. */
  readonly csat: Proportion;
  /** Mean customer effort, 1 (very little) … 7 (a great deal). */
  readonly ces: MeanEstimate;
  /** Mean company effort, same scale. */
  readonly companyEffort: MeanEstimate;
  readonly effortRatio: EffortRatioFigures;
  readonly tickets: number;
  /** Critical incidents (complaints) among the tickets. */
  readonly incidents: number;
  /** incidents / tickets. */
  readonly complaintRate: Proportion;
  /** Promoters: the answers that say they would recommend. */
  readonly recommendations: number;
}

export interface ProgrammeRow {
  /** The value of each cut asked for, in the order of `by`. */
  readonly cut: Readonly<Record<string, string>>;
  /** `YYYY-MM` or `YYYY-Www`; null without a bucket. */
  readonly bucket: string | null;
  readonly figures: ProgrammeFigures;
}

export interface ProgrammeReport {
  readonly fromMs: number;
  readonly toMs: number;
  readonly by: readonly ProgrammeDimension[];
  readonly bucket: ProgrammeBucket | null;
  /** The whole programme over the period. */
  readonly total: ProgrammeFigures;
  /** One row per cut (and bucket) that has answers or tickets, sorted by cut then bucket. */
  readonly rows: readonly ProgrammeRow[];
}

/** Running counts of one cell: one pass, no answer kept. */
class Cell {
  answers = 0;
  promoters = 0;
  passives = 0;
  detractors = 0;
  csatN = 0;
  csatSatisfied = 0;
  cesN = 0;
  cesSum = 0;
  cesSquares = 0;
  keN = 0;
  keSum = 0;
  keSquares = 0;
  tickets = 0;
  incidents = 0;
  readonly pairs = new Map<string, { ces?: number; ke?: number }>();
  /** Pairs already matched by the data layer (computeProgrammeFromCounts). */
  readonly countedPairs: ProgrammePairCount[] = [];

  addCounts(counts: ProgrammeCellCounts): void {
    this.answers += counts.answers;
    this.promoters += counts.promoters;
    this.passives += counts.passives;
    this.detractors += counts.detractors;
    this.csatN += counts.csatN;
    this.csatSatisfied += counts.csatSatisfied;
    this.cesN += counts.cesN;
    this.cesSum += counts.cesSum;
    this.cesSquares += counts.cesSquares;
    this.keN += counts.keN;
    this.keSum += counts.keSum;
    this.keSquares += counts.keSquares;
    this.tickets += counts.tickets;
    this.incidents += counts.incidents;
  }

  addAnswer(answer: ProgrammeAnswer): void {
    this.answers += 1;
    const interaction = answer.interactionId ?? answer.ticketId;
    switch (answer.kind) {
      case 'nps':
        if (answer.score >= 9) this.promoters += 1;
        else if (answer.score >= 7) this.passives += 1;
        else this.detractors += 1;
        break;
      case 'csat':
        this.csatN += 1;
        if (isSatisfied(answer.scale, answer.score)) this.csatSatisfied += 1;
        break;
      case 'ces': {
        const effort = customerEffortOf(answer.scale, answer.score);
        this.cesN += 1;
        this.cesSum += effort;
        this.cesSquares += effort * effort;
        if (interaction !== null) this.pair(interaction).ces = effort;
        break;
      }
      case 'company_effort':
        this.keN += 1;
        this.keSum += answer.score;
        this.keSquares += answer.score * answer.score;
        if (interaction !== null) this.pair(interaction).ke = answer.score;
        break;
    }
  }

  addTicket(ticket: ProgrammeTicket): void {
    this.tickets += 1;
    if (ticket.incident) this.incidents += 1;
  }

  private pair(interaction: string): { ces?: number; ke?: number } {
    let pair = this.pairs.get(interaction);
    if (pair === undefined) {
      pair = {};
      this.pairs.set(interaction, pair);
    }
    return pair;
  }

  figures(tolerance: number): ProgrammeFigures {
    const n = this.promoters + this.passives + this.detractors;
    let pairs = 0;
    let harder = 0;
    let balanced = 0;
    let ratioSum = 0;
    for (const pair of this.pairs.values()) {
      if (pair.ces === undefined || pair.ke === undefined) continue;
      const ratio = computeEffortRatio(pair.ces, pair.ke, tolerance);
      pairs += 1;
      ratioSum += ratio.ratio;
      if (ratio.class === 'customer_harder') harder += 1;
      else if (ratio.class === 'balanced') balanced += 1;
    }
    for (const pair of this.countedPairs) {
      const ratio = computeEffortRatio(pair.ces, pair.ke, tolerance);
      pairs += pair.count;
      ratioSum += ratio.ratio * pair.count;
      if (ratio.class === 'customer_harder') harder += pair.count;
      else if (ratio.class === 'balanced') balanced += pair.count;
    }
    return {
      answers: this.answers,
      nps: {
        n,
        promoters: this.promoters,
        passives: this.passives,
        detractors: this.detractors,
        score: n === 0 ? null : ((this.promoters - this.detractors) * 100) / n,
        interval: npsInterval(this.promoters, this.detractors, n),
        promoterShare: toProportion(this.promoters, n),
        detractorShare: toProportion(this.detractors, n),
      },
      csat: toProportion(this.csatSatisfied, this.csatN),
      ces: toMeanEstimate(this.cesSum, this.cesSquares, this.cesN),
      companyEffort: toMeanEstimate(this.keSum, this.keSquares, this.keN),
      effortRatio: {
        pairs,
        customerHarder: toProportion(harder, pairs),
        balanced,
        companyHarder: pairs - harder - balanced,
        meanRatio: pairs === 0 ? null : ratioSum / pairs,
      },
      tickets: this.tickets,
      incidents: this.incidents,
      complaintRate: toProportion(this.incidents, this.tickets),
      recommendations: this.promoters,
    };
  }
}

const SEPARATOR = '\u0000';

/** The sums of one cell (or part of one), as the data layer's SQL adds them up. */
export interface ProgrammeCellCounts {
  readonly answers: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  readonly csatN: number;
  readonly csatSatisfied: number;
  readonly cesN: number;
  /** Sum and sum of squares of the customer effort (1-7_agree already reversed). */
  readonly cesSum: number;
  readonly cesSquares: number;
  readonly keN: number;
  readonly keSum: number;
  readonly keSquares: number;
  readonly tickets: number;
  readonly incidents: number;
}

/** `count` interactions of a cell whose CES is `ces` and company effort `ke`. */
export interface ProgrammePairCount {
  readonly ces: number;
  readonly ke: number;
  readonly count: number;
}

/** Counts of one cell: its cut values in the order of `by`, its bucket; parts of one cell may come apart. */
export interface ProgrammeCountedCell {
  readonly cut: readonly string[];
  readonly bucket: string | null;
  readonly counts?: ProgrammeCellCounts;
  readonly pairs?: readonly ProgrammePairCount[];
}

/**
 * The same report as computeProgramme, from counts the data layer summed (SQL GROUP BY cut and bucket) instead
 * of one row per answer: parts of the same cell are added up, the whole programme is the sum of the cells, and
 * the C:CER pairs (matched by interaction by the data layer) come per cell and for the whole programme.
 */
export function computeProgrammeFromCounts(
  input: {
    readonly cells: Iterable<ProgrammeCountedCell>;
    readonly totalPairs: readonly ProgrammePairCount[];
  },
  query: ProgrammeQuery,
): ProgrammeReport {
  const tolerance = query.tolerance ?? 0;
  const total = new Cell();
  total.countedPairs.push(...input.totalPairs);
  const cells = new Map<string, { cut: readonly string[]; bucket: string | null; cell: Cell }>();
  for (const part of input.cells) {
    const key = `${part.cut.join(SEPARATOR)}${SEPARATOR}${part.bucket ?? ''}`;
    let entry = cells.get(key);
    if (entry === undefined) {
      entry = { cut: part.cut, bucket: part.bucket, cell: new Cell() };
      cells.set(key, entry);
    }
    if (part.counts !== undefined) {
      entry.cell.addCounts(part.counts);
      total.addCounts(part.counts);
    }
    if (part.pairs !== undefined) entry.cell.countedPairs.push(...part.pairs);
  }
  return report(query, total.figures(tolerance), cells.values(), tolerance);
}

function report(
  query: ProgrammeQuery,
  total: ProgrammeFigures,
  cells: Iterable<{ cut: readonly string[]; bucket: string | null; cell: Cell }>,
  tolerance: number,
): ProgrammeReport {
  const rows = [...cells]
    .filter(({ cell }) => cell.answers > 0 || cell.tickets > 0)
    .sort((a, b) => compareCells(a.cut, a.bucket, b.cut, b.bucket))
    .map(({ cut, bucket, cell }) => ({
      cut: Object.fromEntries(query.by.map((dimension, index) => [dimension, cut[index]!])),
      bucket,
      figures: cell.figures(tolerance),
    }));
  return {
    fromMs: query.fromMs,
    toMs: query.toMs,
    by: query.by,
    bucket: query.bucket,
    total,
    rows,
  };
}

/**
 * NPS (promoters, passives, detractors), CSAT %, CES, company effort, C:CER share, tickets, incidents and the
 * complaint rate of the programme over [fromMs, toMs), crossed by the cuts asked for and optionally by week or
 * month. Every share comes with its sample size and a 95 % interval (Wilson for proportions, normal for means
 * and the NPS). A C:CER pair is a CES and a company-effort answer of the same interaction in the same cell.
 */
export function computeProgramme(facts: ProgrammeFacts, query: ProgrammeQuery): ProgrammeReport {
  const tolerance = query.tolerance ?? 0;
  const total = new Cell();
  const cells = new Map<string, { cut: string[]; bucket: string | null; cell: Cell }>();
  const bucketOf =
    query.bucket === null ? () => null : query.bucket === 'month' ? monthOf : (ms: number) => isoWeekOf(ms);
  const cellOf = (item: { at: number; cuts: ProgrammeAnswer['cuts'] }): Cell => {
    const cut = query.by.map((dimension) => cutOf(item.cuts, dimension));
    const bucket = bucketOf(item.at);
    const key = `${cut.join(SEPARATOR)}${SEPARATOR}${bucket ?? ''}`;
    let entry = cells.get(key);
    if (entry === undefined) {
      entry = { cut, bucket, cell: new Cell() };
      cells.set(key, entry);
    }
    return entry.cell;
  };
  const within = (at: number): boolean => at >= query.fromMs && at < query.toMs;
  for (const answer of facts.answers) {
    if (!within(answer.at)) continue;
    total.addAnswer(answer);
    cellOf(answer).addAnswer(answer);
  }
  for (const ticket of facts.tickets) {
    if (!within(ticket.at)) continue;
    total.addTicket(ticket);
    cellOf(ticket).addTicket(ticket);
  }
  return report(query, total.figures(tolerance), cells.values(), tolerance);
}

function compareCells(
  a: readonly string[],
  aBucket: string | null,
  b: readonly string[],
  bBucket: string | null,
): number {
  for (let index = 0; index < a.length; index += 1) {
    const order = a[index]!.localeCompare(b[index]!);
    if (order !== 0) return order;
  }
  return (aBucket ?? '').localeCompare(bBucket ?? '');
}
