import type { DatabaseSync } from 'node:sqlite';
import {
  UNKNOWN_CUT,
  customerEffortOf,
  extractPhrases,
  isSatisfied,
  isoWeekOf,
  newSignalMonthCounts,
  type FeedbackKind,
  type KeywordCounts,
  type ProgrammeCellCounts,
  type ProgrammeCountedCell,
  type ProgrammeCuts,
  type ProgrammeDimension,
  type ProgrammePairCount,
  type ProgrammeQuery,
  type SignalCutCounts,
  type SignalEvidence,
  type SignalWindow,
} from '../../../shared/src/index.ts';

/**
 * The programme's facts in SQL (migration 2 of programme-schema.ts). Rebuilt from the answers, tickets, users
 * and the sync mirror: one narrow row per answer and per ticket whose cuts are small integers (a dictionary per
 * dimension), the monthly counts of every cut value the signal scan reads, and the comments' phrase counts per
 * month. The report's GROUP BY then hands the shared engine one row per cell × bucket × score, never one per
 * answer. See docs/programme.md, "Speed and memory".
 */

/** The cut columns of the fact tables, in their order (`d_group`: `group` is an SQL keyword). */
export const FACT_DIMENSIONS = [
  'tier',
  'segment',
  'region',
  'product',
  'group',
  'channel',
  'touchpoint',
  'language',
] as const satisfies readonly ProgrammeDimension[];

const column = (dimension: ProgrammeDimension, table = ''): string => `${table}d_${dimension}`;

/** How a fact's kind is stored. */
export const KIND_CODES: Readonly<Record<FeedbackKind, number>> = {
  nps: 0,
  csat: 1,
  ces: 2,
  company_effort: 3,
};

type CutsOf = (
  userId: number | null,
  group: number | null,
  ticketProduct: string | null,
  channel: string | null,
  touchpoint: string | null,
) => ProgrammeCuts;

/** Comments tokenised once per distinct text (many comments repeat); bounded. */
const PHRASE_MEMO_SIZE = 20_000;

function memoPhrases(): (comment: string) => Set<string> {
  const memo = new Map<string, Set<string>>();
  return (comment) => {
    let phrases = memo.get(comment);
    if (phrases === undefined) {
      phrases = extractPhrases(comment);
      if (memo.size >= PHRASE_MEMO_SIZE) memo.clear();
      memo.set(comment, phrases);
    }
    return phrases;
  };
}

/** Months as integers (year × 12 + month − 1, UTC) and ISO weeks as year × 100 + week, and back. */
export const monthNumber = (ms: number): number => {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
};
const monthNumberOfLabel = (label: string): number => {
  const [year, month] = label.split('-').map(Number) as [number, number];
  return year * 12 + month - 1;
};
const monthLabel = (month: number): string =>
  `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
const weekNumber = (ms: number): number => {
  const [year, week] = isoWeekOf(ms).split('-W').map(Number) as [number, number];
  return year * 100 + week;
};
const weekLabel = (week: number): string =>
  `${Math.floor(week / 100)}-W${String(week % 100).padStart(2, '0')}`;

/** Running counts of one cut value in one month, for programme_cut_months. */
interface CutMonth {
  csatN: number;
  csatOk: number;
  npsN: number;
  promoters: number;
  detractors: number;
  firstAnswer: number | null;
  tickets: number;
  incidents: number;
  firstTicket: number | null;
}

/**
 * Rebuilds every fact from the source tables, inside the caller's transaction: one pass over the answers in the
 * order they were given and one over the tickets, each streamed (held: the dictionaries, the counts per cut
 * value and month, the current month's phrase counts), the cuts resolved by `cutsOf` — the resolution the
 * per-answer path uses — then the C:CER pairs in SQL.
 */
export function rebuildFacts(db: DatabaseSync, cutsOf: CutsOf): { answers: number; tickets: number } {
  for (const table of [
    'programme_facts',
    'programme_ticket_facts',
    'programme_pairs',
    'programme_cut_values',
    'programme_cut_months',
    'programme_comment_counts',
    'programme_phrase_counts',
  ])
    db.exec(`DELETE FROM ${table}`);
  db.exec(
    'CREATE TEMP TABLE IF NOT EXISTS programme_interactions (interaction TEXT NOT NULL, kind INTEGER NOT NULL, seq INTEGER NOT NULL)',
  );
  db.exec('DELETE FROM temp.programme_interactions');

  // Dictionaries: the number of each cut value, per dimension; the numbers of each (interned) cut set.
  const insertValue = db.prepare('INSERT INTO programme_cut_values (dimension, id, value) VALUES (?, ?, ?)');
  const dictionaries = new Map<ProgrammeDimension, Map<string, number>>(
    FACT_DIMENSIONS.map((dimension) => [dimension, new Map()]),
  );
  const numbered = new Map<ProgrammeCuts, number[]>();
  const idsOf = (cuts: ProgrammeCuts): number[] => {
    let ids = numbered.get(cuts);
    if (ids === undefined) {
      ids = FACT_DIMENSIONS.map((dimension) => {
        const value = cuts[dimension];
        if (value === undefined) return 0;
        const dictionary = dictionaries.get(dimension)!;
        let id = dictionary.get(value);
        if (id === undefined) {
          id = dictionary.size + 1;
          dictionary.set(value, id);
          insertValue.run(dimension, id, value);
        }
        return id;
      });
      numbered.set(cuts, ids);
    }
    return ids;
  };
  // The (kind, value) pairs of the facts, numbered from 0: what the report counts per cell.
  const scores = new Map<string, number>();
  const scoreCode = (kind: number, value: number): number => {
    const key = `${kind}:${value}`;
    let code = scores.get(key);
    if (code === undefined) {
      code = scores.size;
      scores.set(key, code);
      insertValue.run('score', code, key);
    }
    return code;
  };
  const cutMonths = new Map<string, CutMonth>();
  const cutMonthsOf = (ids: readonly number[], month: number): CutMonth[] => {
    const list: CutMonth[] = [];
    for (let index = -1; index < FACT_DIMENSIONS.length; index += 1) {
      const id = index < 0 ? 0 : ids[index]!;
      if (index >= 0 && id === 0) continue;
      const key = `${index < 0 ? 'all' : FACT_DIMENSIONS[index]}\u0000${id}\u0000${month}`;
      let entry = cutMonths.get(key);
      if (entry === undefined) {
        entry = {
          csatN: 0,
          csatOk: 0,
          npsN: 0,
          promoters: 0,
          detractors: 0,
          firstAnswer: null,
          tickets: 0,
          incidents: 0,
          firstTicket: null,
        };
        cutMonths.set(key, entry);
      }
      list.push(entry);
    }
    return list;
  };

  const insertFact = db.prepare(
    `INSERT INTO programme_facts (seq, at, month, week, kind, value, code, d_tier, d_segment, d_region,
       d_product, d_group, d_channel, d_touchpoint, d_language, ticket_id, answer_rowid)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertInteraction = db.prepare(
    'INSERT INTO temp.programme_interactions (interaction, kind, seq) VALUES (?, ?, ?)',
  );
  const insertComments = db.prepare(
    'INSERT INTO programme_comment_counts (month, language, comments) VALUES (?, ?, ?)',
  );
  const insertPhrase = db.prepare(
    'INSERT INTO programme_phrase_counts (month, language, phrase, comments) VALUES (?, ?, ?, ?)',
  );
  const phrasesOf = memoPhrases();
  // The phrase counts of the month being read, written when the month changes (answers come in time order).
  let commentMonth = -1;
  const comments = new Map<string, number>();
  const phrases = new Map<string, Map<string, number>>();
  const flush = (): void => {
    for (const [language, n] of comments) insertComments.run(commentMonth, language, n);
    for (const [language, counts] of phrases)
      for (const [phrase, n] of counts) insertPhrase.run(commentMonth, language, phrase, n);
    comments.clear();
    phrases.clear();
  };
  let answers = 0;
  for (const r of db
    .prepare(
      `SELECT a.rowid AS rowid, a.responded_at, a.kind, a.scale, a.score, a.comment, a.channel, a.touchpoint,
         a.ticket_id, a.interaction_id, COALESCE(a.user_id, t.requester_id) AS user_id, t.group_id, t.product
       FROM programme_answers a LEFT JOIN programme_tickets t ON t.id = a.ticket_id
       ORDER BY a.responded_at, a.rowid`,
    )
    .iterate() as Iterable<{
    rowid: number;
    responded_at: number;
    kind: FeedbackKind;
    scale: string;
    score: number;
    comment: string | null;
    channel: string | null;
    touchpoint: string | null;
    ticket_id: number | null;
    interaction_id: string | null;
    user_id: number | null;
    group_id: number | null;
    product: string | null;
  }>) {
    answers += 1;
    const seq = answers;
    const cuts = cutsOf(r.user_id, r.group_id, r.product, r.channel, r.touchpoint);
    const ids = idsOf(cuts);
    const month = monthNumber(r.responded_at);
    const value = valueOf(r.kind, r.scale, r.score);
    insertFact.run(
      seq,
      r.responded_at,
      month,
      weekNumber(r.responded_at),
      KIND_CODES[r.kind],
      value,
      scoreCode(KIND_CODES[r.kind], value),
      ...ids,
      r.ticket_id,
      r.rowid,
    );
    if (r.kind === 'nps' || r.kind === 'csat')
      for (const entry of cutMonthsOf(ids, month)) {
        entry.firstAnswer ??= seq;
        if (r.kind === 'csat') {
          entry.csatN += 1;
          if (value === 1) entry.csatOk += 1;
        } else {
          entry.npsN += 1;
          if (value >= 9) entry.promoters += 1;
          else if (value <= 6) entry.detractors += 1;
        }
      }
    else {
      const interaction = r.interaction_id ?? (r.ticket_id === null ? null : String(r.ticket_id));
      if (interaction !== null) insertInteraction.run(interaction, KIND_CODES[r.kind], seq);
    }
    if (r.comment === null || r.comment.trim() === '') continue;
    if (month !== commentMonth) {
      flush();
      commentMonth = month;
    }
    const language = cuts.language ?? UNKNOWN_CUT;
    comments.set(language, (comments.get(language) ?? 0) + 1);
    let counts = phrases.get(language);
    if (counts === undefined) {
      counts = new Map();
      phrases.set(language, counts);
    }
    for (const phrase of phrasesOf(r.comment)) counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  }
  flush();

  const insertTicket = db.prepare(
    `INSERT INTO programme_ticket_facts (seq, id, at, month, week, incident, d_tier, d_segment, d_region,
       d_product, d_group, d_channel, d_touchpoint, d_language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let tickets = 0;
  for (const r of db
    .prepare(
      `SELECT id, created_at, incident, requester_id, group_id, product FROM programme_tickets
       ORDER BY created_at, id`,
    )
    .iterate() as Iterable<{
    id: number;
    created_at: number;
    incident: number;
    requester_id: number | null;
    group_id: number | null;
    product: string | null;
  }>) {
    tickets += 1;
    const ids = idsOf(cutsOf(r.requester_id, r.group_id, r.product, null, null));
    const month = monthNumber(r.created_at);
    insertTicket.run(tickets, r.id, r.created_at, month, weekNumber(r.created_at), r.incident, ...ids);
    for (const entry of cutMonthsOf(ids, month)) {
      entry.firstTicket ??= tickets;
      entry.tickets += 1;
      if (r.incident === 1) entry.incidents += 1;
    }
  }

  const insertCutMonth = db.prepare(
    `INSERT INTO programme_cut_months (dimension, value_id, month, csat_n, csat_ok, nps_n, promoters, detractors,
       first_answer, tickets, incidents, first_ticket) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [key, entry] of cutMonths) {
    const [dimension, id, month] = key.split('\u0000') as [string, string, string];
    insertCutMonth.run(
      dimension,
      Number(id),
      Number(month),
      entry.csatN,
      entry.csatOk,
      entry.npsN,
      entry.promoters,
      entry.detractors,
      entry.firstAnswer,
      entry.tickets,
      entry.incidents,
      entry.firstTicket,
    );
  }
  // One pair per interaction: its latest CES and latest company-effort answer (the per-answer engine keeps the
  // last one it reads).
  const copy = (table: string): string =>
    ['at', 'month', 'week', 'value', ...FACT_DIMENSIONS.map((dimension) => column(dimension))]
      .map((name) => `${table}.${name}`)
      .join(', ');
  db.exec(`
    INSERT INTO programme_pairs
    SELECT ${copy('c')}, ${copy('k')}
    FROM (SELECT interaction, MAX(seq) AS seq FROM temp.programme_interactions WHERE kind = 2
          GROUP BY interaction) lc
    JOIN (SELECT interaction, MAX(seq) AS seq FROM temp.programme_interactions WHERE kind = 3
          GROUP BY interaction) lk ON lk.interaction = lc.interaction
    JOIN programme_facts c ON c.seq = lc.seq
    JOIN programme_facts k ON k.seq = lk.seq`);
  db.exec('DELETE FROM temp.programme_interactions');
  return { answers, tickets };
}

/** What a figure needs of an answer: the NPS score, 1/0 satisfied for CSAT, the customer or company effort. */
function valueOf(kind: FeedbackKind, scale: string, score: number): number {
  switch (kind) {
    case 'csat':
      return isSatisfied(scale, score) ? 1 : 0;
    case 'ces':
      return customerEffortOf(scale, score);
    case 'nps':
    case 'company_effort':
      return score;
  }
}

/** The value of each cut number, per dimension (index 0: not known), and the (kind, value) of each score code. */
export interface CutDictionaries {
  readonly values: ReadonlyMap<ProgrammeDimension, readonly string[]>;
  readonly scores: readonly { readonly kind: number; readonly value: number }[];
}

export function readCutDictionaries(db: DatabaseSync): CutDictionaries {
  const values = new Map<ProgrammeDimension, string[]>(
    FACT_DIMENSIONS.map((dimension) => [dimension, [UNKNOWN_CUT]]),
  );
  const scores: { kind: number; value: number }[] = [];
  for (const row of db
    .prepare('SELECT dimension, id, value FROM programme_cut_values')
    .iterate() as Iterable<{
    dimension: ProgrammeDimension | 'score';
    id: number;
    value: string;
  }>) {
    if (row.dimension === 'score') {
      const [kind, value] = row.value.split(':').map(Number) as [number, number];
      scores[row.id] = { kind, value };
    } else values.get(row.dimension)![row.id] = row.value;
  }
  return { values, scores };
}

const bucketLabel = (bucket: ProgrammeQuery['bucket'], value: number): string | null =>
  bucket === null ? null : bucket === 'month' ? monthLabel(value) : weekLabel(value);

type MutableCounts = { -readonly [key in keyof ProgrammeCellCounts]: number };
const emptyCounts = (): MutableCounts => ({
  answers: 0,
  promoters: 0,
  passives: 0,
  detractors: 0,
  csatN: 0,
  csatSatisfied: 0,
  cesN: 0,
  cesSum: 0,
  cesSquares: 0,
  keN: 0,
  keSum: 0,
  keSquares: 0,
  tickets: 0,
  incidents: 0,
});

/** One part of a number made of several (mixed radix): its SQL expression and how many values it takes. */
interface KeyPart {
  readonly sql: string;
  readonly radix: number;
}

/**
 * Counts the rows of `from … where` per key, the key being the parts as one mixed-radix integer: an UPSERT
 * into a keyed temporary table, so SQLite keeps one row per key, never a sort of every row (its GROUP BY sorts
 * all the rows it groups, and spills them to disk beyond its cache); then the keys, decoded, and their counts.
 * Null when the parts make too large a number (the caller groups by columns instead; `groupBy` forces it).
 */
function tally(
  db: DatabaseSync,
  parts: readonly KeyPart[],
  fromWhere: string,
  params: readonly number[],
): { parts: number[]; n: number }[] | null {
  let size = 1;
  for (const part of parts) size *= Math.max(1, part.radix);
  if (size > Number.MAX_SAFE_INTEGER) return null;
  const key = parts.reduce((sql, part) => `(${sql}) * ${part.radix} + ${part.sql}`, '0');
  db.exec(
    'CREATE TEMP TABLE IF NOT EXISTS programme_tally (key INTEGER PRIMARY KEY, n INTEGER NOT NULL); DELETE FROM temp.programme_tally',
  );
  db.prepare(
    `INSERT INTO temp.programme_tally (key, n) SELECT ${key}, 1 ${fromWhere}
     ON CONFLICT (key) DO UPDATE SET n = n + 1`,
  ).run(...params);
  const rows: { parts: number[]; n: number }[] = [];
  for (const row of db.prepare('SELECT key, n FROM temp.programme_tally').iterate() as Iterable<{
    key: number;
    n: number;
  }>) {
    const values = new Array<number>(parts.length);
    let rest = row.key;
    for (let index = parts.length - 1; index >= 0; index -= 1) {
      const radix = parts[index]!.radix;
      values[index] = rest % radix;
      rest = Math.floor(rest / radix);
    }
    rows.push({ parts: values, n: row.n });
  }
  db.exec('DELETE FROM temp.programme_tally');
  return rows;
}

/**
 * The report's counts. SQL counts the period's facts per cell (the cuts asked for and the bucket) and score
 * — a few thousand keys whatever the number of answers — and the tickets per cell and incident; the sums of
 * the figures follow exactly (whole scores times their counts). The C:CER pairs whose two answers fall in the
 * period come grouped by both answers' cells and efforts: a pair counts in a cell when both answers are in it.
 */
export function readProgrammeCounts(
  db: DatabaseSync,
  dictionaries: CutDictionaries,
  query: ProgrammeQuery,
  options: { readonly groupBy?: boolean } = {},
): { cells: ProgrammeCountedCell[]; totalPairs: ProgrammePairCount[] } {
  const by = query.by;
  const base =
    query.bucket === null
      ? 0
      : query.bucket === 'month'
        ? monthNumber(query.fromMs)
        : weekNumber(query.fromMs);
  const last =
    query.bucket === null
      ? 0
      : query.bucket === 'month'
        ? monthNumber(query.toMs - 1)
        : weekNumber(query.toMs - 1);
  const cutParts: KeyPart[] = [
    ...by.map((dimension) => ({ sql: column(dimension), radix: dictionaries.values.get(dimension)!.length })),
    { sql: query.bucket === null ? '0' : `(${query.bucket} - ${base})`, radix: last - base + 1 },
  ];
  const cells = new Map<string, { cut: string[]; bucket: string | null; counts: MutableCounts }>();
  /** A cell from its cut ids and its bucket's offset from the period's first. */
  const cellOf = (ids: readonly number[], bucket: number) => {
    const key = `${ids.join(',')}/${bucket}`;
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = {
        cut: by.map((dimension, index) => dictionaries.values.get(dimension)![ids[index]!] ?? UNKNOWN_CUT),
        bucket: bucketLabel(query.bucket, base + bucket),
        counts: emptyCounts(),
      };
      cells.set(key, cell);
    }
    return { key, cell };
  };
  const period = [query.fromMs, query.toMs];
  const addAnswers = (ids: readonly number[], bucket: number, kind: number, value: number, n: number) => {
    const { counts } = cellOf(ids, bucket).cell;
    counts.answers += n;
    switch (kind) {
      case 0:
        if (value >= 9) counts.promoters += n;
        else if (value >= 7) counts.passives += n;
        else counts.detractors += n;
        break;
      case 1:
        counts.csatN += n;
        if (value === 1) counts.csatSatisfied += n;
        break;
      case 2:
        counts.cesN += n;
        counts.cesSum += value * n;
        counts.cesSquares += value * value * n;
        break;
      default:
        counts.keN += n;
        counts.keSum += value * n;
        counts.keSquares += value * value * n;
    }
  };
  const answers =
    options.groupBy === true
      ? null
      : tally(
          db,
          [...cutParts, { sql: 'code', radix: dictionaries.scores.length }],
          'FROM programme_facts WHERE at >= ? AND at < ?',
          period,
        );
  const tickets =
    options.groupBy === true
      ? null
      : tally(
          db,
          [...cutParts, { sql: 'incident', radix: 2 }],
          'FROM programme_ticket_facts WHERE at >= ? AND at < ?',
          period,
        );
  if (answers !== null && tickets !== null) {
    for (const row of answers) {
      const score = dictionaries.scores[row.parts[by.length + 1]!]!;
      addAnswers(row.parts.slice(0, by.length), row.parts[by.length]!, score.kind, score.value, row.n);
    }
    for (const row of tickets) {
      const { counts } = cellOf(row.parts.slice(0, by.length), row.parts[by.length]!).cell;
      counts.tickets += row.n;
      if (row.parts[by.length + 1] === 1) counts.incidents += row.n;
    }
  } else {
    // Too many cells for one number: GROUP BY the columns (sorts every row: slower, same counts).
    const columns = [...by.map((dimension) => column(dimension)), cutParts[by.length]!.sql].join(', ');
    const grouping = [
      ...by.map((dimension) => column(dimension)),
      ...(query.bucket === null ? [] : [cutParts[by.length]!.sql]),
    ];
    const arrays = (sql: string): Iterable<number[]> => {
      const statement = db.prepare(sql);
      statement.setReturnArrays(true);
      return statement.iterate(...period) as unknown as Iterable<number[]>;
    };
    const width = by.length + 1;
    for (const row of arrays(
      `SELECT ${columns}, kind, value, COUNT(*) AS n FROM programme_facts WHERE at >= ? AND at < ?
       GROUP BY ${[...grouping, 'kind', 'value'].join(', ')}`,
    ))
      addAnswers(row.slice(0, by.length), row[by.length]!, row[width]!, row[width + 1]!, row[width + 2]!);
    for (const row of arrays(
      `SELECT ${columns}, COUNT(*) AS n, SUM(incident) AS incidents FROM programme_ticket_facts
       WHERE at >= ? AND at < ?${grouping.length === 0 ? '' : ` GROUP BY ${grouping.join(', ')}`}`,
    )) {
      const { counts } = cellOf(row.slice(0, by.length), row[by.length]!).cell;
      counts.tickets += row[width]!;
      counts.incidents += row[width + 1] ?? 0;
    }
  }
  const pairs = new Map<string, ProgrammePairCount[]>();
  const totalPairs: ProgrammePairCount[] = [];
  // (A constant is left out of GROUP BY: a bare number there means a column.)
  const side = (prefix: 'c' | 'k', grouping: boolean): string[] => [
    ...by.map((dimension) => `${prefix}_${dimension}`),
    ...(query.bucket === null ? (grouping ? [] : ['0']) : [`(${prefix}_${query.bucket} - ${base})`]),
  ];
  const pairRows = db.prepare(
    `SELECT ${[...side('c', false), ...side('k', false)].join(', ')}, ces, ke, COUNT(*) AS n FROM programme_pairs
     WHERE c_at >= ? AND c_at < ? AND k_at >= ? AND k_at < ?
     GROUP BY ${[...side('c', true), ...side('k', true), 'ces', 'ke'].join(', ')}`,
  );
  pairRows.setReturnArrays(true);
  for (const row of pairRows.iterate(
    query.fromMs,
    query.toMs,
    query.fromMs,
    query.toMs,
  ) as unknown as Iterable<number[]>) {
    const width = by.length + 1;
    const pair = { ces: row[2 * width]!, ke: row[2 * width + 1]!, count: row[2 * width + 2]! };
    totalPairs.push(pair);
    let same = true;
    for (let index = 0; index < width; index += 1) if (row[index] !== row[width + index]) same = false;
    if (!same) continue;
    const { key } = cellOf(row.slice(0, by.length), row[by.length]!);
    let list = pairs.get(key);
    if (list === undefined) {
      list = [];
      pairs.set(key, list);
    }
    list.push(pair);
  }
  return {
    cells: [...cells].map(([key, cell]) => ({ ...cell, pairs: pairs.get(key) ?? [] })),
    totalPairs,
  };
}

/**
 * The scan's monthly counts of every cut value (counted while rebuilding: a few hundred rows for the window)
 * and the phrase counts per language summed over each side's months; the cuts in the order they first appear
 * (first answer, then first ticket, then the order of the dimensions), as the per-answer scan meets them.
 */
export function readSignalCounts(
  db: DatabaseSync,
  dictionaries: CutDictionaries,
  window: SignalWindow,
  dimensions: readonly ProgrammeDimension[],
): { cells: SignalCutCounts[]; keywords: KeywordCounts[] } {
  const first = monthNumberOfLabel(window.labels[0]!);
  const recent = first + window.baselineMonths;
  const end = first + window.months;
  const order = new Map<string, number>([
    ['all', 0],
    ...dimensions.map((dimension, index): [string, number] => [dimension, index + 1]),
  ]);
  const found = new Map<
    string,
    { cell: SignalCutCounts; firstAnswer: number | null; firstTicket: number | null; order: number }
  >();
  const earliest = (a: number | null, b: number | null): number | null =>
    a === null ? b : b === null ? a : Math.min(a, b);
  for (const row of db
    .prepare(
      `SELECT dimension, value_id, month, csat_n, csat_ok, nps_n, promoters, detractors, first_answer, tickets,
         incidents, first_ticket FROM programme_cut_months WHERE month >= ? AND month < ?`,
    )
    .iterate(first, end) as Iterable<{
    dimension: ProgrammeDimension | 'all';
    value_id: number;
    month: number;
    csat_n: number;
    csat_ok: number;
    nps_n: number;
    promoters: number;
    detractors: number;
    first_answer: number | null;
    tickets: number;
    incidents: number;
    first_ticket: number | null;
  }>) {
    const rank = order.get(row.dimension);
    if (rank === undefined) continue;
    const key = `${row.dimension}\u0000${row.value_id}`;
    let entry = found.get(key);
    if (entry === undefined) {
      const value = row.dimension === 'all' ? 'all' : dictionaries.values.get(row.dimension)![row.value_id]!;
      entry = {
        cell: { dimension: row.dimension, value, counts: newSignalMonthCounts(window.months) },
        firstAnswer: null,
        firstTicket: null,
        order: rank,
      };
      found.set(key, entry);
    }
    const month = row.month - first;
    const counts = entry.cell.counts;
    counts.csatN[month]! += row.csat_n;
    counts.csatSatisfied[month]! += row.csat_ok;
    counts.npsN[month]! += row.nps_n;
    counts.promoters[month]! += row.promoters;
    counts.detractors[month]! += row.detractors;
    counts.tickets[month]! += row.tickets;
    counts.incidents[month]! += row.incidents;
    entry.firstAnswer = earliest(entry.firstAnswer, row.first_answer);
    entry.firstTicket = earliest(entry.firstTicket, row.first_ticket);
  }
  const cells = [...found.values()]
    .sort((a, b) => {
      if ((a.firstAnswer === null) !== (b.firstAnswer === null)) return a.firstAnswer === null ? 1 : -1;
      const byFirst =
        a.firstAnswer !== null ? a.firstAnswer - b.firstAnswer! : a.firstTicket! - b.firstTicket!;
      return byFirst || a.order - b.order;
    })
    .map((entry) => entry.cell);
  const keywords = new Map<string, { comments: [number, number]; phrases: Map<string, [number, number]> }>();
  const keywordsOf = (language: string) => {
    let entry = keywords.get(language);
    if (entry === undefined) {
      entry = { comments: [0, 0], phrases: new Map() };
      keywords.set(language, entry);
    }
    return entry;
  };
  for (const row of db
    .prepare(
      `SELECT language, TOTAL(CASE WHEN month < ? THEN comments END) AS before,
         TOTAL(CASE WHEN month >= ? THEN comments END) AS after
       FROM programme_comment_counts WHERE month >= ? AND month < ? GROUP BY language`,
    )
    .iterate(recent, recent, first, end) as Iterable<{ language: string; before: number; after: number }>)
    keywordsOf(row.language).comments = [row.before, row.after];
  for (const row of db
    .prepare(
      `SELECT language, phrase, TOTAL(CASE WHEN month < ? THEN comments END) AS before,
         TOTAL(CASE WHEN month >= ? THEN comments END) AS after
       FROM programme_phrase_counts WHERE month >= ? AND month < ? GROUP BY language, phrase`,
    )
    .iterate(recent, recent, first, end) as Iterable<{
    language: string;
    phrase: string;
    before: number;
    after: number;
  }>)
    keywordsOf(row.language).phrases.set(row.phrase, [row.before, row.after]);
  return {
    cells,
    keywords: [...keywords].map(([language, entry]) => ({ language, ...entry })),
  };
}

/**
 * The answers and tickets behind the signs raised, read from the recent months' facts only when a sign asks:
 * the tickets of the matching answers (or incidents) of the sign's cut, in the order they were given; the
 * answers whose comment holds a raised phrase, streaming the recent comments once for all the phrases.
 */
export function signalEvidence(
  db: DatabaseSync,
  dictionaries: CutDictionaries,
  window: SignalWindow,
): SignalEvidence {
  const idOf = (dimension: ProgrammeDimension, value: string): number => {
    if (value === UNKNOWN_CUT) return 0;
    const id = dictionaries.values.get(dimension)!.indexOf(value);
    return id < 0 ? -1 : id;
  };
  const phrasesOf = memoPhrases();
  const languages = dictionaries.values.get('language')!;
  const keywordTickets = new Map<string, Set<string>>();
  const keywordKey = (language: string, phrase: string): string => `${language}\u0000${phrase}`;
  const readKeywords = (list: readonly { language: string; phrase: string }[]): Set<string>[] => {
    const holders = list.map(() => new Set<string>());
    const tickets = list.map(() => new Set<string>());
    if (list.length === 0) return holders;
    for (const row of db
      .prepare(
        `SELECT a.id, a.comment, f.d_language, f.ticket_id FROM programme_facts f
         JOIN programme_answers a ON a.rowid = f.answer_rowid
         WHERE f.at >= ? AND f.at < ? AND a.comment IS NOT NULL ORDER BY f.seq`,
      )
      .iterate(window.recentMs, window.endMs) as Iterable<{
      id: string;
      comment: string;
      d_language: number;
      ticket_id: number | null;
    }>) {
      const language = languages[row.d_language] ?? UNKNOWN_CUT;
      const held = phrasesOf(row.comment);
      list.forEach((item, index) => {
        if (item.language !== language || !held.has(item.phrase)) return;
        holders[index]!.add(row.id);
        if (row.ticket_id !== null) tickets[index]!.add(String(row.ticket_id));
      });
    }
    list.forEach((item, index) =>
      keywordTickets.set(keywordKey(item.language, item.phrase), tickets[index]!),
    );
    return holders;
  };
  const ids = (sql: string, ...params: number[]): string[] => {
    const found = new Set<string>();
    for (const row of db.prepare(sql).iterate(window.recentMs, window.endMs, ...params) as Iterable<{
      id: number;
    }>)
      found.add(String(row.id));
    return [...found];
  };
  return {
    keywordHolders: readKeywords,
    ticketsBehind: (subject) => {
      if (subject.kind === 'emerging_keyword') {
        const key = keywordKey(subject.value, subject.phrase!);
        if (!keywordTickets.has(key)) readKeywords([{ language: subject.value, phrase: subject.phrase! }]);
        return [...keywordTickets.get(key)!];
      }
      const inCut = subject.dimension === 'all' ? '' : `AND ${column(subject.dimension)} = ?`;
      const params = subject.dimension === 'all' ? [] : [idOf(subject.dimension, subject.value)];
      if (subject.kind === 'complaints_rising' || subject.kind === 'complaints_up_recommendations_down')
        return ids(
          `SELECT id FROM programme_ticket_facts WHERE at >= ? AND at < ? AND incident = 1 ${inCut} ORDER BY seq`,
          ...params,
        );
      const wanted = (score: { kind: number; value: number }): boolean =>
        subject.kind === 'csat_falling'
          ? score.kind === 1 && score.value === 0
          : subject.kind === 'detractors_rising'
            ? score.kind === 0 && score.value <= 6
            : score.kind === 0 && score.value <= 8;
      const codes = dictionaries.scores.flatMap((score, code) => (wanted(score) ? [code] : []));
      return ids(
        `SELECT ticket_id AS id FROM programme_facts WHERE at >= ? AND at < ? AND ticket_id IS NOT NULL
           AND code IN (${codes.join(', ') || 'NULL'}) ${inCut} ORDER BY seq`,
        ...params,
      );
    },
  };
}
