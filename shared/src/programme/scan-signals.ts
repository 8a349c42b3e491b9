import { extractPhrases } from './extract-phrases.ts';
import {
  PROGRAMME_DIMENSIONS,
  UNKNOWN_CUT,
  addMonths,
  cutOf,
  isSatisfied,
  monthOf,
  type ProgrammeAnswer,
  type ProgrammeDimension,
  type ProgrammeFacts,
} from './programme-facts.ts';
import { benjaminiHochberg, toProportion, twoProportionTest, type Proportion } from './statistics.ts';

/**
 * The warning signs of seed 004 (Skeepers), plus emerging keywords in comments. Complaints rising is also raised
 * on its own: a product can draw complaints before its recommendations move.
 */
export const SIGN_KINDS = [
  'csat_falling',
  'detractors_rising',
  'promoters_falling',
  'complaints_rising',
  'complaints_up_recommendations_down',
  'emerging_keyword',
] as const;
export type SignKind = (typeof SIGN_KINDS)[number];

export const SIGN_METRICS = [
  'csat',
  'detractor_share',
  'promoter_share',
  'complaint_rate',
  'keyword_share',
] as const;
export type SignMetric = (typeof SIGN_METRICS)[number];

export interface SignalOptions {
  /** The scan looks at the calendar months before the month holding this instant. */
  readonly asOfMs: number;
  /** Months compared against the baseline (default 3). */
  readonly recentMonths?: number;
  /** Months before them that make the cut's own baseline (default 6). */
  readonly baselineMonths?: number;
  /** Cuts scanned one at a time (default: all); the whole programme is always scanned as "all". */
  readonly dimensions?: readonly ProgrammeDimension[];
  /** Answers (or tickets) needed on each side before a cut is tested (default 30). */
  readonly minSample?: number;
  /** Smallest change worth a sign, in share points 0…1 (default 0.03 = 3 points). */
  readonly minChange?: number;
  /** Benjamini–Hochberg level: expected share of false alarms among the signs raised (default 0.05). */
  readonly falseDiscoveryRate?: number;
  /** Comments with a phrase in the recent window before it is tested (default 8). */
  readonly keywordMinCount?: number;
  /** A phrase's share must at least be multiplied by this (default 2). */
  readonly keywordMinRatio?: number;
  /** Tickets listed per sign (default 20; `ticketCount` has them all). */
  readonly maxTickets?: number;
}

export interface SignPart {
  readonly metric: SignMetric;
  readonly baseline: Proportion;
  readonly recent: Proportion;
  /** recent rate − baseline rate, in share points (0…1). */
  readonly change: number;
  readonly pValue: number;
}

export interface WarningSign extends SignPart {
  readonly kind: SignKind;
  /** The cut the sign is about, or "all" for the whole programme. */
  readonly dimension: ProgrammeDimension | 'all';
  readonly value: string;
  /** For an emerging keyword: the phrase (accents removed) and the language of the comments. */
  readonly phrase: string | null;
  /** For an emerging keyword: the other raised phrases found in the same comments, folded into this sign. */
  readonly related: readonly string[];
  /** complaints_up_recommendations_down: the promoter-share half (the complaint rate is the main part). */
  readonly also: SignPart | null;
  /** Benjamini–Hochberg adjusted p-value within the sign's family (cut signs; keywords). */
  readonly qValue: number;
  /** `YYYY-MM`: the month from which the change is sharpest (descriptive, not part of the test). */
  readonly since: string;
  /** Answers (or tickets, for the complaint rate) in the recent window behind the figure. */
  readonly answers: number;
  /** The tickets behind the sign (the unsatisfied, the detractors, the incidents, the comments), first `maxTickets`. */
  readonly tickets: readonly string[];
  readonly ticketCount: number;
}

export interface SignalScan {
  readonly baseline: { readonly fromMs: number; readonly toMs: number };
  readonly recent: { readonly fromMs: number; readonly toMs: number };
  /** (cut, sign) pairs tested, and those left untested for want of answers. */
  readonly tested: number;
  readonly tooSmall: number;
  readonly keywordsTested: number;
  /** Raised signs, the most certain first. */
  readonly signs: readonly WarningSign[];
}

/** Monthly counts of one cut over the scan's window (index 0 = its first month). */
export interface SignalMonthCounts {
  readonly csatN: number[];
  readonly csatSatisfied: number[];
  readonly npsN: number[];
  readonly promoters: number[];
  /** NPS answers scored 6 or less. */
  readonly detractors: number[];
  readonly tickets: number[];
  readonly incidents: number[];
}
type Counts = SignalMonthCounts;

type Series = keyof Counts;
export const newSignalMonthCounts = (months: number): SignalMonthCounts => ({
  csatN: new Array<number>(months).fill(0),
  csatSatisfied: new Array<number>(months).fill(0),
  npsN: new Array<number>(months).fill(0),
  promoters: new Array<number>(months).fill(0),
  detractors: new Array<number>(months).fill(0),
  tickets: new Array<number>(months).fill(0),
  incidents: new Array<number>(months).fill(0),
});

interface MetricSpec {
  readonly metric: SignMetric;
  readonly successes: Series;
  readonly n: Series;
  readonly direction: 'up' | 'down';
}
const CSAT: MetricSpec = { metric: 'csat', successes: 'csatSatisfied', n: 'csatN', direction: 'down' };
const DETRACTORS: MetricSpec = {
  metric: 'detractor_share',
  successes: 'detractors',
  n: 'npsN',
  direction: 'up',
};
const PROMOTERS: MetricSpec = {
  metric: 'promoter_share',
  successes: 'promoters',
  n: 'npsN',
  direction: 'down',
};
const COMPLAINTS: MetricSpec = {
  metric: 'complaint_rate',
  successes: 'incidents',
  n: 'tickets',
  direction: 'up',
};

const SIGNS: readonly { readonly kind: SignKind; readonly parts: readonly MetricSpec[] }[] = [
  { kind: 'csat_falling', parts: [CSAT] },
  { kind: 'detractors_rising', parts: [DETRACTORS] },
  { kind: 'promoters_falling', parts: [PROMOTERS] },
  { kind: 'complaints_rising', parts: [COMPLAINTS] },
  { kind: 'complaints_up_recommendations_down', parts: [COMPLAINTS, PROMOTERS] },
];

const sum = (values: readonly number[], from: number, to: number): number => {
  let total = 0;
  for (let index = from; index < to; index += 1) total += values[index]!;
  return total;
};

interface Candidate {
  readonly kind: SignKind;
  readonly dimension: ProgrammeDimension | 'all';
  readonly value: string;
  readonly phrase: string | null;
  readonly language: string | null;
  readonly parts: readonly SignPart[];
  readonly pValue: number;
  /** z (in the sign's direction) of each split month, for `since`. */
  readonly onset: number;
  readonly answers: number;
}

/** The scan's window: `months` calendar months before the month of `asOfMs`, the last `recentMonths` recent. */
export interface SignalWindow {
  readonly startMs: number;
  /** Start of the recent months. */
  readonly recentMs: number;
  /** Exclusive end. */
  readonly endMs: number;
  readonly months: number;
  readonly baselineMonths: number;
  /** `YYYY-MM` of each month of the window. */
  readonly labels: readonly string[];
}

export function signalWindow(options: SignalOptions): SignalWindow {
  const recentMonths = options.recentMonths ?? 3;
  const baselineMonths = options.baselineMonths ?? 6;
  const months = recentMonths + baselineMonths;
  const startMs = addMonths(options.asOfMs, -months);
  return {
    startMs,
    recentMs: addMonths(options.asOfMs, -recentMonths),
    endMs: addMonths(options.asOfMs, 0),
    months,
    baselineMonths,
    labels: Array.from({ length: months }, (_, index) => monthOf(addMonths(startMs, index))),
  };
}

/** A cut (one value of one dimension, or "all") with its monthly counts. */
export interface SignalCutCounts {
  readonly dimension: ProgrammeDimension | 'all';
  readonly value: string;
  readonly counts: SignalMonthCounts;
}

/** Comments of one language before and in the recent months, and how many of them hold each phrase. */
export interface KeywordCounts {
  readonly language: string;
  /** [baseline, recent] */
  readonly comments: readonly [number, number];
  readonly phrases: ReadonlyMap<string, readonly [number, number]>;
}

/** What a raised sign is about, for the tickets behind it. */
export interface SignSubject {
  readonly kind: SignKind;
  readonly dimension: ProgrammeDimension | 'all';
  readonly value: string;
  readonly phrase: string | null;
}

/** The answers and tickets behind raised signs, from the recent months: read only for the few signs raised. */
export interface SignalEvidence {
  /** For each phrase, the ids of the recent answers in its language whose comment holds it. */
  keywordHolders(phrases: readonly { readonly language: string; readonly phrase: string }[]): Set<string>[];
  /** The tickets behind a sign, in the order of the answers (or tickets), without repeats. */
  ticketsBehind(subject: SignSubject): string[];
}

/**
 * The warning signs of every cut against its own baseline. For each cut (each value of each dimension, and the
 * whole programme) and each sign, the recent months are compared with the months before them by a one-sided
 * pooled two-proportion z-test, only when both sides have at least `minSample` answers; the combined sign
 * (complaints up while recommendations fall) needs both halves and takes the larger p-value. Benjamini–Hochberg
 * over every test of the scan keeps the expected share of false alarms at `falseDiscoveryRate`; a sign is
 * raised when its q-value is within it and the change is at least `minChange`. Emerging keywords are tested the
 * same way per language, on the share of comments holding each phrase, as their own family.
 */
export function scanSignals(facts: ProgrammeFacts, options: SignalOptions): SignalScan {
  const dimensions = options.dimensions ?? PROGRAMME_DIMENSIONS;
  const window = signalWindow(options);
  const { startMs, recentMs, endMs, months } = window;
  const startDate = new Date(startMs);
  const startIndex = startDate.getUTCFullYear() * 12 + startDate.getUTCMonth();
  const monthIndex = (ms: number): number => {
    const date = new Date(ms);
    return date.getUTCFullYear() * 12 + date.getUTCMonth() - startIndex;
  };
  const within = (ms: number): boolean => ms >= startMs && ms < endMs;

  // 1. Monthly counts per cut.
  const cells = new Map<string, SignalCutCounts>();
  const cellsOf = (cuts: ProgrammeAnswer['cuts']): Counts[] => {
    const list: Counts[] = [];
    for (const dimension of ['all' as const, ...dimensions]) {
      const value = dimension === 'all' ? 'all' : cutOf(cuts, dimension);
      if (value === UNKNOWN_CUT) continue;
      const key = `${dimension}\u0000${value}`;
      let cell = cells.get(key);
      if (cell === undefined) {
        cell = { dimension, value, counts: newSignalMonthCounts(months) };
        cells.set(key, cell);
      }
      list.push(cell.counts);
    }
    return list;
  };
  // Keyword counts per language: comments, and comments holding each phrase, per side.
  const languages = new Map<string, { n: [number, number]; phrases: Map<string, [number, number]> }>();
  for (const answer of facts.answers) {
    if (!within(answer.at)) continue;
    const month = monthIndex(answer.at);
    if (answer.kind === 'csat' || answer.kind === 'nps') {
      for (const counts of cellsOf(answer.cuts)) {
        if (answer.kind === 'csat') {
          counts.csatN[month]! += 1;
          if (isSatisfied(answer.scale, answer.score)) counts.csatSatisfied[month]! += 1;
        } else {
          counts.npsN[month]! += 1;
          if (answer.score >= 9) counts.promoters[month]! += 1;
          else if (answer.score <= 6) counts.detractors[month]! += 1;
        }
      }
    }
    if (answer.comment === null || answer.comment.trim() === '') continue;
    const side = answer.at >= recentMs ? 1 : 0;
    const language = cutOf(answer.cuts, 'language');
    let entry = languages.get(language);
    if (entry === undefined) {
      entry = { n: [0, 0], phrases: new Map() };
      languages.set(language, entry);
    }
    entry.n[side] += 1;
    for (const phrase of extractPhrases(answer.comment)) {
      let count = entry.phrases.get(phrase);
      if (count === undefined) {
        count = [0, 0];
        entry.phrases.set(phrase, count);
      }
      count[side] += 1;
    }
  }
  for (const ticket of facts.tickets) {
    if (!within(ticket.at)) continue;
    const month = monthIndex(ticket.at);
    for (const counts of cellsOf(ticket.cuts)) {
      counts.tickets[month]! += 1;
      if (ticket.incident) counts.incidents[month]! += 1;
    }
  }
  const recentAnswers = facts.answers.filter((answer) => answer.at >= recentMs && answer.at < endMs);
  const recentTickets = facts.tickets.filter((ticket) => ticket.at >= recentMs && ticket.at < endMs);
  const evidence: SignalEvidence = {
    keywordHolders: (phrases) => {
      const holders = phrases.map(() => new Set<string>());
      if (phrases.length === 0) return holders;
      for (const answer of recentAnswers) {
        if (answer.comment === null) continue;
        const found = extractPhrases(answer.comment);
        const language = cutOf(answer.cuts, 'language');
        phrases.forEach((item, index) => {
          if (item.language === language && found.has(item.phrase)) holders[index]!.add(answer.id);
        });
      }
      return holders;
    },
    ticketsBehind: (subject) => ticketsBehind(subject, recentAnswers, recentTickets),
  };
  return scanSignalCounts(
    {
      cells: cells.values(),
      keywords: [...languages].map(([language, entry]) => ({
        language,
        comments: entry.n,
        phrases: entry.phrases,
      })),
    },
    evidence,
    options,
  );
}

/**
 * The tests, false-alarm control and description of scanSignals, from counts: the monthly counts of every cut
 * (in the order the cuts first appear) and the phrase counts per language, however they were summed, and the
 * evidence behind the signs raised.
 */
export function scanSignalCounts(
  input: { readonly cells: Iterable<SignalCutCounts>; readonly keywords: Iterable<KeywordCounts> },
  evidence: SignalEvidence,
  options: SignalOptions,
): SignalScan {
  const minSample = options.minSample ?? 30;
  const minChange = options.minChange ?? 0.03;
  const fdr = options.falseDiscoveryRate ?? 0.05;
  const keywordMinCount = options.keywordMinCount ?? 8;
  const keywordMinRatio = options.keywordMinRatio ?? 2;
  const maxTickets = options.maxTickets ?? 20;
  const { startMs, recentMs, endMs, months, labels, baselineMonths } = signalWindow(options);

  // 2. One test per (cut, sign) with enough answers on both sides.
  const candidates: Candidate[] = [];
  let tooSmall = 0;
  const split = baselineMonths;
  for (const { dimension, value, counts } of input.cells) {
    for (const sign of SIGNS) {
      const parts: SignPart[] = [];
      let onset = 0;
      for (const spec of sign.parts) {
        const before = { successes: sum(counts[spec.successes], 0, split), n: sum(counts[spec.n], 0, split) };
        const after = {
          successes: sum(counts[spec.successes], split, months),
          n: sum(counts[spec.n], split, months),
        };
        if (before.n < minSample || after.n < minSample) break;
        const test = twoProportionTest(before, after, spec.direction);
        const baseline = toProportion(before.successes, before.n);
        const recent = toProportion(after.successes, after.n);
        parts.push({
          metric: spec.metric,
          baseline,
          recent,
          change: recent.rate! - baseline.rate!,
          pValue: test.pValue,
        });
        onset = sharpestSplit(counts[spec.successes], counts[spec.n], spec.direction, onset, minSample);
      }
      if (parts.length < sign.parts.length) {
        tooSmall += 1;
        continue;
      }
      candidates.push({
        kind: sign.kind,
        dimension,
        value,
        phrase: null,
        language: null,
        parts,
        pValue: Math.max(...parts.map((part) => part.pValue)),
        onset,
        answers: parts[0]!.recent.n,
      });
    }
  }

  // 3. Emerging keywords, per language.
  const keywordCandidates: Candidate[] = [];
  for (const entry of input.keywords) {
    const { language } = entry;
    const [beforeN, afterN] = entry.comments;
    if (beforeN < minSample || afterN < minSample) continue;
    for (const [phrase, [before, after]] of entry.phrases) {
      if (after < keywordMinCount) continue;
      const baseline = toProportion(before, beforeN);
      const recent = toProportion(after, afterN);
      if (recent.rate! < keywordMinRatio * ((before + 0.5) / (beforeN + 1))) continue;
      const test = twoProportionTest(
        { successes: before, n: beforeN },
        { successes: after, n: afterN },
        'up',
      );
      keywordCandidates.push({
        kind: 'emerging_keyword',
        dimension: 'language',
        value: language,
        phrase,
        language,
        parts: [
          {
            metric: 'keyword_share',
            baseline,
            recent,
            change: recent.rate! - baseline.rate!,
            pValue: test.pValue,
          },
        ],
        pValue: test.pValue,
        onset: -1,
        answers: after,
      });
    }
  }

  // 4. False-alarm control, then the tickets behind each sign raised.
  const raise = (list: readonly Candidate[], threshold: (candidate: Candidate) => boolean) => {
    const q = benjaminiHochberg(list.map((candidate) => candidate.pValue));
    return list
      .map((candidate, index) => ({ candidate, qValue: q[index]! }))
      .filter(({ candidate, qValue }) => qValue <= fdr && threshold(candidate));
  };
  const raisedSigns = raise(candidates, (candidate) =>
    candidate.parts.every((part) => Math.abs(part.change) >= minChange),
  );
  const raisedKeywords = clusterKeywords(
    raise(keywordCandidates, () => true),
    evidence,
  );
  const keywordsTested = keywordCandidates.length;
  const raised = [...raisedSigns.map((item) => ({ ...item, related: [] as string[] })), ...raisedKeywords];
  const signs = raised.map(({ candidate, qValue, related }): WarningSign => {
    const ids = evidence.ticketsBehind(candidate);
    const [main, second] = candidate.parts;
    return {
      kind: candidate.kind,
      dimension: candidate.dimension,
      value: candidate.value,
      phrase: candidate.phrase,
      related,
      ...main!,
      also: second ?? null,
      pValue: candidate.pValue,
      qValue,
      since: candidate.onset < 0 ? labels[split]! : labels[candidate.onset]!,
      answers: candidate.answers,
      tickets: ids.slice(0, maxTickets),
      ticketCount: ids.length,
    };
  });
  signs.sort((a, b) => a.qValue - b.qValue || Math.abs(b.change) - Math.abs(a.change));
  return {
    baseline: { fromMs: startMs, toMs: recentMs },
    recent: { fromMs: recentMs, toMs: endMs },
    tested: candidates.length,
    tooSmall,
    keywordsTested,
    signs,
  };
}

/**
 * The month from which the change is sharpest: the split of the whole window whose before/after z-statistic is
 * the largest in the sign's direction (each side with at least half the minimum sample). Keeps `current` when
 * no split beats it (the first part of a combined sign decides).
 */
function sharpestSplit(
  successes: readonly number[],
  n: readonly number[],
  direction: 'up' | 'down',
  current: number,
  minSample: number,
): number {
  if (current > 0) return current;
  let best = -Infinity;
  let bestIndex = 1;
  for (let index = 1; index < n.length; index += 1) {
    const before = { successes: sum(successes, 0, index), n: sum(n, 0, index) };
    const after = { successes: sum(successes, index, n.length), n: sum(n, index, n.length) };
    if (before.n < minSample / 2 || after.n < minSample / 2) continue;
    const { z } = twoProportionTest(before, after, direction);
    const directed = direction === 'up' ? z : -z;
    if (directed > best) {
      best = directed;
      bestIndex = index;
    }
  }
  return bestIndex;
}

/**
 * Folds raised phrases that travel together: a phrase whose recent comments are at least 80 % among those of a
 * phrase already kept (more comments first, then longer phrases) becomes one of its `related` phrases, so one
 * new complaint gives one sign, not one per word of it.
 */
function clusterKeywords<T extends { candidate: Candidate }>(
  list: readonly T[],
  evidence: SignalEvidence,
): (T & { related: string[] })[] {
  const found = evidence.keywordHolders(
    list.map((item) => ({ language: item.candidate.language!, phrase: item.candidate.phrase! })),
  );
  const holders = new Map<T, Set<string>>(list.map((item, index) => [item, found[index]!]));
  const words = (item: T): number => item.candidate.phrase!.split(' ').length;
  const sorted = [...list].sort(
    (a, b) =>
      holders.get(b)!.size - holders.get(a)!.size ||
      words(b) - words(a) ||
      a.candidate.phrase!.localeCompare(b.candidate.phrase!),
  );
  const kept: { item: T & { related: string[] }; holders: Set<string> }[] = [];
  for (const item of sorted) {
    const own = holders.get(item)!;
    const leader = kept.find((other) => {
      if (other.item.candidate.language !== item.candidate.language) return false;
      let shared = 0;
      for (const id of own) if (other.holders.has(id)) shared += 1;
      return shared >= 0.8 * own.size;
    });
    if (leader === undefined) kept.push({ item: { ...item, related: [] }, holders: own });
    else leader.item.related.push(item.candidate.phrase!);
  }
  return kept.map((entry) => entry.item);
}

function ticketsBehind(
  candidate: SignSubject,
  answers: readonly ProgrammeAnswer[],
  tickets: ProgrammeFacts['tickets'],
): string[] {
  const inCut = (cuts: ProgrammeAnswer['cuts']): boolean =>
    candidate.dimension === 'all' || cutOf(cuts, candidate.dimension) === candidate.value;
  const ids = new Set<string>();
  if (candidate.kind === 'complaints_rising' || candidate.kind === 'complaints_up_recommendations_down') {
    for (const ticket of tickets) if (ticket.incident && inCut(ticket.cuts)) ids.add(ticket.id);
    return [...ids];
  }
  for (const answer of answers) {
    if (answer.ticketId === null || !inCut(answer.cuts)) continue;
    const behind =
      candidate.kind === 'csat_falling'
        ? answer.kind === 'csat' && !isSatisfied(answer.scale, answer.score)
        : candidate.kind === 'detractors_rising'
          ? answer.kind === 'nps' && answer.score <= 6
          : candidate.kind === 'promoters_falling'
            ? answer.kind === 'nps' && answer.score <= 8
            : answer.comment !== null && extractPhrases(answer.comment).has(candidate.phrase!);
    if (behind) ids.add(answer.ticketId);
  }
  return [...ids];
}
