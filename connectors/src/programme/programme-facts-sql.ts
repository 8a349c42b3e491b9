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
  type SignSubject,
  type SignalWindow,
} from '../../../shared/src/index.ts';
import type { Sql, SqlValue } from '../store/sql.ts';

/**
 * The programme's facts in SQL (migrations 2 and 3 of programme-schema.ts). Built from the answers, tickets,
 * users and the sync mirror (rebuildFacts), then kept up to date by the changes the triggers record (planRefresh,
 * applyRefresh): one narrow row per answer and per ticket whose cuts are small integers (a dictionary per
 * dimension), the monthly counts of every cut value the signal scan reads, and the comments' phrase counts per
 * month. The report's GROUP BY then hands the shared engine one row per cell × bucket × score, never one per
 * answer. See docs/programme.md, "Speed and memory".
 */

/**
 * The SQL the two databases write differently. A list of values is passed as one JSON array parameter (one
 * statement text whatever its length): SQLite reads it with json_each, PostgreSQL with json_array_elements_text.
 */
export const integerList = (sql: Sql): string =>
  sql.dialect === 'sqlite'
    ? '(SELECT value FROM json_each(?))'
    : '(SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(? AS json)))';
export const textList = (sql: Sql): string =>
  sql.dialect === 'sqlite'
    ? '(SELECT value FROM json_each(?))'
    : '(SELECT value FROM json_array_elements_text(CAST(? AS json)))';
/** A text field of a JSON column (SQLite's json_extract, PostgreSQL's ->>). */
export const jsonText = (sql: Sql, expression: string, field: string): string =>
  sql.dialect === 'sqlite'
    ? `json_extract(${expression}, '$.${field}')`
    : `(CAST(${expression} AS json) ->> '${field}')`;
/** A numeric field of a JSON column. */
export const jsonNumber = (sql: Sql, expression: string, field: string): string =>
  sql.dialect === 'sqlite'
    ? `json_extract(${expression}, '$.${field}')`
    : `CAST(CAST(${expression} AS json) ->> '${field}' AS DOUBLE PRECISION)`;
/** The change log's key, as an integer (SQLite keeps what it was given; PostgreSQL's column is text). */
const dirtyInteger = (sql: Sql): string => (sql.dialect === 'sqlite' ? 'key' : 'CAST(key AS BIGINT)');

/** Rows per multi-row INSERT (well under both databases' parameter limits). */
const INSERT_ROWS = 500;

/** `head` (INSERT INTO t (…)) with many rows of `width` values, in a few statements; `tail` after VALUES. */
export async function insertRows(
  sql: Sql,
  head: string,
  rows: readonly (readonly SqlValue[])[],
  tail = '',
): Promise<void> {
  if (rows.length === 0) return;
  const width = rows[0]!.length;
  const tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
  for (let start = 0; start < rows.length; start += INSERT_ROWS) {
    const chunk = rows.slice(start, start + INSERT_ROWS);
    await sql.run(
      `${head} VALUES ${new Array<string>(chunk.length).fill(tuple).join(', ')} ${tail}`,
      chunk.flat(),
    );
  }
}

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

/**
 * The cut resolution of an answer or a ticket (the per-answer path's, see ProgrammeStore); `prefetch`, when
 * given, must be awaited with the users of the rows before their cuts are asked.
 */
export type CutsOf = ((
  userId: number | null,
  group: number | null,
  ticketProduct: string | null,
  channel: string | null,
  touchpoint: string | null,
) => ProgrammeCuts) & { readonly prefetch?: (userIds: readonly (number | null)[]) => Promise<void> };

/** The facts' layout version: facts built by another layout are rebuilt in full. */
export const FACTS_VERSION = '3';

/** The numbers of the cut values and score codes, as stored, with the ones added since (written by `write`). */
class Numbering {
  readonly #dimensions = new Map<ProgrammeDimension, Map<string, number>>(
    FACT_DIMENSIONS.map((dimension) => [dimension, new Map()]),
  );
  readonly #scores = new Map<string, number>();
  readonly #numbered = new Map<ProgrammeCuts, number[]>();
  readonly #added: [string, number, string][] = [];

  static async read(sql: Sql): Promise<Numbering> {
    const numbering = new Numbering();
    numbering.#load(
      await sql.all<{ dimension: string; id: number; value: string }>(
        'SELECT dimension, id, value FROM programme_cut_values',
      ),
    );
    return numbering;
  }

  #load(rows: readonly { dimension: string; id: number; value: string }[]): void {
    for (const row of rows) {
      if (row.dimension === 'score') this.#scores.set(row.value, row.id);
      else this.#dimensions.get(row.dimension as ProgrammeDimension)?.set(row.value, row.id);
    }
  }

  idsOf(cuts: ProgrammeCuts): number[] {
    let ids = this.#numbered.get(cuts);
    if (ids === undefined) {
      ids = FACT_DIMENSIONS.map((dimension) => {
        const value = cuts[dimension];
        if (value === undefined) return 0;
        const dictionary = this.#dimensions.get(dimension)!;
        let id = dictionary.get(value);
        if (id === undefined) {
          id = dictionary.size + 1;
          dictionary.set(value, id);
          this.#added.push([dimension, id, value]);
        }
        return id;
      });
      this.#numbered.set(cuts, ids);
    }
    return ids;
  }

  scoreCode(kind: number, value: number): number {
    const key = `${kind}:${value}`;
    let code = this.#scores.get(key);
    if (code === undefined) {
      code = this.#scores.size;
      this.#scores.set(key, code);
      this.#added.push(['score', code, key]);
    }
    return code;
  }

  /** The score codes of NPS and CSAT answers (the ones the monthly counts and their first answer follow). */
  surveyCodes(): number[] {
    return [...this.#scores].flatMap(([key, code]) =>
      key.startsWith('0:') || key.startsWith('1:') ? [code] : [],
    );
  }

  async write(sql: Sql): Promise<void> {
    await insertRows(sql, 'INSERT INTO programme_cut_values (dimension, id, value)', this.#added);
    this.#added.length = 0;
  }
}

/** One answer's fact, as stored. */
interface AnswerFact {
  readonly rowid: number;
  readonly at: number;
  readonly month: number;
  readonly week: number;
  readonly kind: number;
  readonly value: number;
  readonly code: number;
  readonly ids: readonly number[];
  readonly ticketId: number | null;
  readonly interaction: string | null;
  readonly commented: number;
}

interface TicketFact {
  readonly id: number;
  readonly at: number;
  readonly month: number;
  readonly week: number;
  readonly incident: number;
  readonly ids: readonly number[];
}

interface AnswerSource {
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
}

const ANSWER_SOURCE = `SELECT a.rowid AS rowid, a.responded_at, a.kind, a.scale, a.score, a.comment, a.channel,
    a.touchpoint, a.ticket_id, a.interaction_id, COALESCE(a.user_id, t.requester_id) AS user_id, t.group_id,
    t.product
  FROM programme_answers a LEFT JOIN programme_tickets t ON t.id = a.ticket_id`;

interface TicketSource {
  id: number;
  created_at: number;
  incident: number;
  requester_id: number | null;
  group_id: number | null;
  product: string | null;
}

const TICKET_SOURCE =
  'SELECT id, created_at, incident, requester_id, group_id, product FROM programme_tickets';

const hasComment = (comment: string | null): boolean => comment !== null && comment.trim() !== '';

function answerFact(r: AnswerSource, cutsOf: CutsOf, numbering: Numbering): AnswerFact {
  const kind = KIND_CODES[r.kind];
  const value = valueOf(r.kind, r.scale, r.score);
  return {
    rowid: r.rowid,
    at: r.responded_at,
    month: monthNumber(r.responded_at),
    week: weekNumber(r.responded_at),
    kind,
    value,
    code: numbering.scoreCode(kind, value),
    ids: numbering.idsOf(cutsOf(r.user_id, r.group_id, r.product, r.channel, r.touchpoint)),
    ticketId: r.ticket_id,
    interaction: kind < 2 ? null : (r.interaction_id ?? (r.ticket_id === null ? null : String(r.ticket_id))),
    commented: hasComment(r.comment) ? 1 : 0,
  };
}

function ticketFact(r: TicketSource, cutsOf: CutsOf, numbering: Numbering): TicketFact {
  return {
    id: r.id,
    at: r.created_at,
    month: monthNumber(r.created_at),
    week: weekNumber(r.created_at),
    incident: r.incident,
    ids: numbering.idsOf(cutsOf(r.requester_id, r.group_id, r.product, null, null)),
  };
}

const FACT_COLUMNS = FACT_DIMENSIONS.map((dimension) => column(dimension)).join(', ');

/** Facts written a few hundred rows per statement: add them, then flush (also done when enough are held). */
function factWriters(sql: Sql) {
  const answers: SqlValue[][] = [];
  const tickets: SqlValue[][] = [];
  const flush = async (): Promise<void> => {
    await insertRows(
      sql,
      `INSERT INTO programme_facts (answer_rowid, at, month, week, kind, value, code, ${FACT_COLUMNS}, ticket_id,
         interaction, commented)`,
      answers.splice(0),
    );
    await insertRows(
      sql,
      `INSERT INTO programme_ticket_facts (id, at, month, week, incident, ${FACT_COLUMNS})`,
      tickets.splice(0),
    );
  };
  return {
    flush,
    answer: (f: AnswerFact) =>
      answers.push([
        f.rowid,
        f.at,
        f.month,
        f.week,
        f.kind,
        f.value,
        f.code,
        ...f.ids,
        f.ticketId,
        f.interaction,
        f.commented,
      ]),
    ticket: (f: TicketFact) => tickets.push([f.id, f.at, f.month, f.week, f.incident, ...f.ids]),
  };
}

/** (at, rowid) as one comparable pair; null: none. */
type First = readonly [number, number] | null;
const earlier = (a: First, b: First): First =>
  a === null ? b : b === null ? a : a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? a : b;
const same = (a: First, b: First): boolean => a !== null && b !== null && a[0] === b[0] && a[1] === b[1];

/**
 * What a change does to one cut value's month in programme_cut_months: counts to add (negative for removed
 * facts), the earliest fact added, and the earliest removed (when it was the cut's first, the first is looked up
 * again).
 */
interface CutMonthChange {
  csatN: number;
  csatOk: number;
  npsN: number;
  promoters: number;
  detractors: number;
  tickets: number;
  incidents: number;
  firstAdded: First;
  firstRemoved: First;
  ticketAdded: First;
  ticketRemoved: First;
}

class CutMonthChanges {
  readonly entries = new Map<string, CutMonthChange>();

  #of(ids: readonly number[], month: number): CutMonthChange[] {
    const list: CutMonthChange[] = [];
    for (let index = -1; index < FACT_DIMENSIONS.length; index += 1) {
      const id = index < 0 ? 0 : ids[index]!;
      if (index >= 0 && id === 0) continue;
      const key = `${index < 0 ? 'all' : FACT_DIMENSIONS[index]}\u0000${id}\u0000${month}`;
      let entry = this.entries.get(key);
      if (entry === undefined) {
        entry = {
          csatN: 0,
          csatOk: 0,
          npsN: 0,
          promoters: 0,
          detractors: 0,
          tickets: 0,
          incidents: 0,
          firstAdded: null,
          firstRemoved: null,
          ticketAdded: null,
          ticketRemoved: null,
        };
        this.entries.set(key, entry);
      }
      list.push(entry);
    }
    return list;
  }

  answer(fact: AnswerFact, sign: 1 | -1): void {
    if (fact.kind > 1) return;
    const first: First = [fact.at, fact.rowid];
    for (const entry of this.#of(fact.ids, fact.month)) {
      if (sign > 0) entry.firstAdded = earlier(entry.firstAdded, first);
      else entry.firstRemoved = earlier(entry.firstRemoved, first);
      if (fact.kind === 1) {
        entry.csatN += sign;
        if (fact.value === 1) entry.csatOk += sign;
      } else {
        entry.npsN += sign;
        if (fact.value >= 9) entry.promoters += sign;
        else if (fact.value <= 6) entry.detractors += sign;
      }
    }
  }

  ticket(fact: TicketFact, sign: 1 | -1): void {
    const first: First = [fact.at, fact.id];
    for (const entry of this.#of(fact.ids, fact.month)) {
      if (sign > 0) entry.ticketAdded = earlier(entry.ticketAdded, first);
      else entry.ticketRemoved = earlier(entry.ticketRemoved, first);
      entry.tickets += sign;
      if (fact.incident === 1) entry.incidents += sign;
    }
  }

  /**
   * Merges the changes into programme_cut_months (the facts already written): counts added, a first answer or
   * ticket that was removed looked up again in the facts, a cut month left without answers or tickets deleted.
   */
  async write(
    sql: Sql,
    surveyCodes: readonly number[],
    options: { readonly fresh?: boolean } = {},
  ): Promise<void> {
    interface Stored {
      dimension: string;
      value_id: number;
      month: number;
      csat_n: number;
      csat_ok: number;
      nps_n: number;
      promoters: number;
      detractors: number;
      first_at: number | null;
      first_rowid: number | null;
      tickets: number;
      incidents: number;
      first_ticket_at: number | null;
      first_ticket: number | null;
    }
    // The stored rows of the months touched, read at once (none when the facts are being rebuilt).
    const stored = new Map<string, Stored>();
    if (options.fresh !== true && this.entries.size > 0) {
      const months = [...new Set([...this.entries.keys()].map((key) => Number(key.split('\u0000')[2])))];
      for (const row of await sql.all<Stored>(
        `SELECT dimension, value_id, month, csat_n, csat_ok, nps_n, promoters, detractors, first_at, first_rowid,
           tickets, incidents, first_ticket_at, first_ticket FROM programme_cut_months
         WHERE month IN ${integerList(sql)}`,
        [JSON.stringify(months)],
      ))
        stored.set(`${row.dimension}\u0000${row.value_id}\u0000${row.month}`, row);
    }
    const firstIn = async (
      table: 'answers' | 'tickets',
      dimension: string,
      id: number,
      month: number,
    ): Promise<First> => {
      const inCut = dimension === 'all' ? '' : `AND ${column(dimension as ProgrammeDimension)} = ${id}`;
      const row = await sql.get<{ at: number; key: number }>(
        table === 'answers'
          ? `SELECT at, answer_rowid AS key FROM programme_facts WHERE at >= ? AND at < ?
               AND code IN (${surveyCodes.join(', ') || 'NULL'}) ${inCut} ORDER BY at, answer_rowid LIMIT 1`
          : `SELECT at, id AS key FROM programme_ticket_facts WHERE at >= ? AND at < ? ${inCut}
               ORDER BY at, id LIMIT 1`,
        [monthStart(month), monthStart(month + 1)],
      );
      return row === undefined ? null : [row.at, row.key];
    };
    const upserts: SqlValue[][] = [];
    for (const [key, change] of this.entries) {
      const [dimension, idText, monthText] = key.split('\u0000') as [string, string, string];
      const id = Number(idText);
      const month = Number(monthText);
      const row = stored.get(key);
      const csatN = (row?.csat_n ?? 0) + change.csatN;
      const npsN = (row?.nps_n ?? 0) + change.npsN;
      const tickets = (row?.tickets ?? 0) + change.tickets;
      if (csatN + npsN + tickets === 0) {
        if (row !== undefined)
          await sql.run(
            'DELETE FROM programme_cut_months WHERE month = ? AND dimension = ? AND value_id = ?',
            [month, dimension, id],
          );
        continue;
      }
      const kept: First =
        row?.first_at === undefined || row.first_at === null ? null : [row.first_at, row.first_rowid!];
      const first =
        csatN + npsN === 0
          ? null
          : same(kept, change.firstRemoved)
            ? await firstIn('answers', dimension, id, month)
            : earlier(kept, change.firstAdded);
      const keptTicket: First =
        row?.first_ticket_at === undefined || row.first_ticket_at === null
          ? null
          : [row.first_ticket_at, row.first_ticket!];
      const firstTicket =
        tickets === 0
          ? null
          : same(keptTicket, change.ticketRemoved)
            ? await firstIn('tickets', dimension, id, month)
            : earlier(keptTicket, change.ticketAdded);
      upserts.push([
        dimension,
        id,
        month,
        csatN,
        (row?.csat_ok ?? 0) + change.csatOk,
        npsN,
        (row?.promoters ?? 0) + change.promoters,
        (row?.detractors ?? 0) + change.detractors,
        first?.[0] ?? null,
        first?.[1] ?? null,
        tickets,
        (row?.incidents ?? 0) + change.incidents,
        firstTicket?.[0] ?? null,
        firstTicket?.[1] ?? null,
      ]);
    }
    await insertRows(
      sql,
      `INSERT INTO programme_cut_months (dimension, value_id, month, csat_n, csat_ok, nps_n, promoters,
         detractors, first_at, first_rowid, tickets, incidents, first_ticket_at, first_ticket)`,
      upserts,
      `ON CONFLICT (month, dimension, value_id) DO UPDATE SET csat_n = excluded.csat_n,
         csat_ok = excluded.csat_ok, nps_n = excluded.nps_n, promoters = excluded.promoters,
         detractors = excluded.detractors, first_at = excluded.first_at, first_rowid = excluded.first_rowid,
         tickets = excluded.tickets, incidents = excluded.incidents, first_ticket_at = excluded.first_ticket_at,
         first_ticket = excluded.first_ticket`,
    );
  }
}

/** The first instant of a month number (UTC). */
const monthStart = (month: number): number => Date.UTC(Math.floor(month / 12), month % 12, 1);

/** Comments per language, and per language how many of them hold each phrase: one month's phrase counts. */
class PhraseMonth {
  readonly comments = new Map<string, number>();
  readonly phrases = new Map<string, Map<string, number>>();

  add(language: string, phrases: Iterable<string>): void {
    this.comments.set(language, (this.comments.get(language) ?? 0) + 1);
    let counts = this.phrases.get(language);
    if (counts === undefined) {
      counts = new Map();
      this.phrases.set(language, counts);
    }
    for (const phrase of phrases) counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  }

  async write(sql: Sql, month: number): Promise<void> {
    await sql.run('DELETE FROM programme_comment_counts WHERE month = ?', [month]);
    await sql.run('DELETE FROM programme_phrase_counts WHERE month = ?', [month]);
    await insertRows(
      sql,
      'INSERT INTO programme_comment_counts (month, language, comments)',
      [...this.comments].map(([language, n]) => [month, language, n]),
    );
    const phrases: SqlValue[][] = [];
    for (const [language, counts] of this.phrases)
      for (const [phrase, n] of counts) phrases.push([month, language, phrase, n]);
    await insertRows(sql, 'INSERT INTO programme_phrase_counts (month, language, phrase, comments)', phrases);
  }
}

/** The C:CER pairs of the interactions listed (all when null): their latest CES and company-effort answers. */
async function writePairs(sql: Sql, interactions: readonly string[] | null): Promise<void> {
  const copy = (table: string): string =>
    ['at', 'month', 'week', 'value', ...FACT_DIMENSIONS.map((dimension) => column(dimension))]
      .map((name) => `${table}.${name}`)
      .join(', ');
  const latest = (kind: number): string =>
    `(SELECT answer_rowid FROM programme_facts WHERE interaction = i.interaction AND kind = ${kind}
      ORDER BY at DESC, answer_rowid DESC LIMIT 1)`;
  const list =
    interactions === null
      ? 'SELECT DISTINCT interaction FROM programme_facts WHERE interaction IS NOT NULL'
      : `SELECT value AS interaction FROM ${textList(sql)} listed`;
  if (interactions !== null)
    await sql.run(`DELETE FROM programme_pairs WHERE interaction IN ${textList(sql)}`, [
      JSON.stringify(interactions),
    ]);
  await sql.run(
    `INSERT INTO programme_pairs
     SELECT i.interaction, ${copy('c')}, ${copy('k')} FROM (${list}) i
     JOIN programme_facts c ON c.answer_rowid = ${latest(2)}
     JOIN programme_facts k ON k.answer_rowid = ${latest(3)}`,
    interactions === null ? [] : [JSON.stringify(interactions)],
  );
}

const FACT_TABLES = [
  'programme_facts',
  'programme_ticket_facts',
  'programme_pairs',
  'programme_cut_values',
  'programme_cut_months',
  'programme_comment_counts',
  'programme_phrase_counts',
];

/**
 * Rebuilds every fact from the source tables, inside the caller's transaction (a migration, `--full`, or too
 * many changes for an incremental refresh): one pass over the answers in the order they were given and one over
 * the tickets, each streamed (held: the dictionaries, the counts per cut value and month, the current month's
 * phrase counts), the cuts resolved by `cutsOf` — the resolution the per-answer path uses — then the C:CER pairs
 * in SQL. Clears the changes recorded up to now.
 */
export async function rebuildFacts(sql: Sql, cutsOf: CutsOf): Promise<{ answers: number; tickets: number }> {
  for (const table of FACT_TABLES) await sql.run(`DELETE FROM ${table}`);
  await sql.run('DELETE FROM programme_dirty');
  const numbering = new Numbering();
  const changes = new CutMonthChanges();
  const write = factWriters(sql);
  const phrasesOf = memoPhrases();
  let commentMonth = -1;
  let phrases = new PhraseMonth();
  let answers = 0;
  // Read a page at a time, in the answers' order (at, rowid): memory holds one page, whatever the answers.
  let after: [number, number] | null = null;
  for (;;) {
    const page: AnswerSource[] = await sql.all<AnswerSource>(
      `${ANSWER_SOURCE} ${after === null ? '' : 'WHERE (a.responded_at, a.rowid) > (?, ?)'}
       ORDER BY a.responded_at, a.rowid LIMIT ${READ_PAGE}`,
      after ?? [],
    );
    for (const r of page) {
      answers += 1;
      const fact = answerFact(r, cutsOf, numbering);
      write.answer(fact);
      changes.answer(fact, 1);
      if (fact.commented === 0) continue;
      if (fact.month !== commentMonth) {
        if (commentMonth >= 0) await phrases.write(sql, commentMonth);
        phrases = new PhraseMonth();
        commentMonth = fact.month;
      }
      phrases.add(cutsOf(r.user_id, null, null, null, null).language ?? UNKNOWN_CUT, phrasesOf(r.comment!));
    }
    await write.flush();
    if (page.length < READ_PAGE) break;
    const last = page[page.length - 1]!;
    after = [last.responded_at, last.rowid];
  }
  if (commentMonth >= 0) await phrases.write(sql, commentMonth);
  let tickets = 0;
  let afterTicket: [number, number] | null = null;
  for (;;) {
    const page: TicketSource[] = await sql.all<TicketSource>(
      `${TICKET_SOURCE} ${afterTicket === null ? '' : 'WHERE (created_at, id) > (?, ?)'}
       ORDER BY created_at, id LIMIT ${READ_PAGE}`,
      afterTicket ?? [],
    );
    for (const r of page) {
      tickets += 1;
      const fact = ticketFact(r, cutsOf, numbering);
      write.ticket(fact);
      changes.ticket(fact, 1);
    }
    await write.flush();
    if (page.length < READ_PAGE) break;
    const last = page[page.length - 1]!;
    afterTicket = [last.created_at, last.id];
  }
  await numbering.write(sql);
  await changes.write(sql, numbering.surveyCodes(), { fresh: true });
  await writePairs(sql, null);
  return { answers, tickets };
}

/** Rows per page when the facts are rebuilt. */
const READ_PAGE = 5_000;

/** What an incremental refresh will write, computed from reads only (planRefresh), written by applyRefresh. */
export interface RefreshPlan {
  /** The last change it covers (programme_dirty.seq). */
  readonly upTo: number;
  /** The facts' generation it was computed against: another refresh committed since → plan again. */
  readonly generation: string | null;
  readonly answers: number;
  readonly tickets: number;
  readonly removedAnswers: readonly number[];
  readonly addedAnswers: readonly AnswerFact[];
  readonly removedTickets: readonly number[];
  readonly addedTickets: readonly TicketFact[];
  readonly cutMonths: CutMonthChanges;
  readonly interactions: readonly string[];
  readonly phraseMonths: ReadonlyMap<number, PhraseMonth>;
  readonly numbering: Numbering;
}

/** How many answers or tickets an incremental refresh reads per step (between two yields). */
export const REFRESH_BATCH = 2_000;

/**
 * Plans an incremental refresh: the answers and tickets changed since the last refresh (recorded by the
 * triggers of migration 3), and those of the users whose cuts may have moved (a Zendesk user edited, a Salesforce
 * contact or account or profile changed in the sync mirror), with their old facts (to take out of the monthly
 * counts) and their new ones; the C:CER pairs of the interactions touched; the phrase counts of the months whose
 * comments changed. Reads only, a batch at a time: it yields between batches (no statement stays open across a
 * yield), so `boucle serve` can answer between them. Null when nothing changed.
 */
export async function planRefresh(
  sql: Sql,
  cutsOf: CutsOf,
  generation: string | null,
  batchSize: number = REFRESH_BATCH,
  pause: () => Promise<void> = () => Promise.resolve(),
): Promise<RefreshPlan | null> {
  const top = await sql.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM programme_dirty');
  if (top === undefined || top.seq === null) return null;
  const upTo = top.seq;
  const keys = async (text: string, ...params: SqlValue[]): Promise<number[]> =>
    (await sql.all<{ key: number }>(text, params)).map((row) => row.key);
  const dirty = (kind: string): string =>
    `SELECT ${kind === 'c' || kind === 'acc' ? 'key' : dirtyInteger(sql)} AS key FROM programme_dirty
     WHERE seq <= ${upTo} AND kind = '${kind}'`;
  const users = await keys(
    `${dirty('u')} UNION SELECT u.id FROM programme_users u WHERE u.external_id IN (${dirty('c')})
     UNION SELECT u.id FROM sync_contact c JOIN programme_users u ON u.external_id = c.id
       WHERE c.account_id IN (${dirty('acc')})`,
  );
  const usersJson = JSON.stringify(users);
  const tickets = await keys(
    `${dirty('t')} UNION SELECT id FROM programme_tickets WHERE requester_id IN ${integerList(sql)}`,
    usersJson,
  );
  const answers = await keys(
    `${dirty('a')} UNION SELECT rowid FROM programme_answers WHERE user_id IN ${integerList(sql)}
     UNION SELECT rowid FROM programme_answers WHERE ticket_id IN ${integerList(sql)}`,
    usersJson,
    JSON.stringify(tickets),
  );
  const edited = new Set(await keys(dirty('a')));
  await pause();

  const numbering = await Numbering.read(sql);
  const cutMonths = new CutMonthChanges();
  const interactions = new Set<string>();
  const months = new Set<number>();
  /** The comments of the answers planned (their new facts), per month: the recount takes them from here. */
  const plannedComments = new Map<number, { language: string; comment: string }[]>();
  const addedAnswers: AnswerFact[] = [];
  const addedTickets: TicketFact[] = [];
  const width = FACT_DIMENSIONS.length;
  for (let start = 0; start < answers.length; start += batchSize) {
    const batch = JSON.stringify(answers.slice(start, start + batchSize));
    const old = new Map<number, AnswerFact>();
    for (const row of await sql.all<Record<string, number | string | null>>(
      `SELECT answer_rowid AS rowid, at, month, week, kind, value, code, ${FACT_COLUMNS}, ticket_id, interaction,
         commented FROM programme_facts WHERE answer_rowid IN ${integerList(sql)}`,
      [batch],
    )) {
      const fact: AnswerFact = {
        rowid: row.rowid as number,
        at: row.at as number,
        month: row.month as number,
        week: row.week as number,
        kind: row.kind as number,
        value: row.value as number,
        code: row.code as number,
        ids: FACT_DIMENSIONS.map((dimension) => row[column(dimension)] as number),
        ticketId: row.ticket_id as number | null,
        interaction: row.interaction as string | null,
        commented: row.commented as number,
      };
      old.set(fact.rowid, fact);
      cutMonths.answer(fact, -1);
      if (fact.interaction !== null) interactions.add(fact.interaction);
    }
    const sources = await sql.all<AnswerSource>(`${ANSWER_SOURCE} WHERE a.rowid IN ${integerList(sql)}`, [
      batch,
    ]);
    await cutsOf.prefetch?.(sources.map((r) => r.user_id));
    for (const r of sources) {
      const fact = answerFact(r, cutsOf, numbering);
      addedAnswers.push(fact);
      if (fact.commented === 1) {
        let list = plannedComments.get(fact.month);
        if (list === undefined) {
          list = [];
          plannedComments.set(fact.month, list);
        }
        list.push({
          language: cutsOf(r.user_id, null, null, null, null).language ?? UNKNOWN_CUT,
          comment: r.comment!,
        });
      }
      cutMonths.answer(fact, 1);
      if (fact.interaction !== null) interactions.add(fact.interaction);
      const before = old.get(fact.rowid);
      old.delete(fact.rowid);
      // A comment counts in its month and language: recount the months it left and joined.
      const moved =
        before === undefined ||
        edited.has(fact.rowid) ||
        before.month !== fact.month ||
        before.ids[width - 1] !== fact.ids[width - 1] ||
        before.commented !== fact.commented;
      if (moved && (fact.commented === 1 || before?.commented === 1)) {
        months.add(fact.month);
        if (before !== undefined) months.add(before.month);
      }
    }
    // Answers gone from the source.
    for (const before of old.values()) if (before.commented === 1) months.add(before.month);
    await pause();
  }
  for (let start = 0; start < tickets.length; start += batchSize) {
    const batch = JSON.stringify(tickets.slice(start, start + batchSize));
    for (const row of await sql.all<Record<string, number>>(
      `SELECT id, at, month, week, incident, ${FACT_COLUMNS} FROM programme_ticket_facts
       WHERE id IN ${integerList(sql)}`,
      [batch],
    ))
      cutMonths.ticket(
        {
          id: row.id!,
          at: row.at!,
          month: row.month!,
          week: row.week!,
          incident: row.incident!,
          ids: FACT_DIMENSIONS.map((dimension) => row[column(dimension)]!),
        },
        -1,
      );
    const sources = await sql.all<TicketSource>(`${TICKET_SOURCE} WHERE id IN ${integerList(sql)}`, [batch]);
    await cutsOf.prefetch?.(sources.map((r) => r.requester_id));
    for (const r of sources) {
      const fact = ticketFact(r, cutsOf, numbering);
      addedTickets.push(fact);
      cutMonths.ticket(fact, 1);
    }
    await pause();
  }

  // The phrase counts of the months whose comments changed, recounted a day at a time from the facts as they
  // will be once the plan is written: the other facts' comments (their language as stored), then the planned
  // ones. Never from the answers as they are now: an answer written between two steps (recorded for the next
  // refresh) could be counted in a state no fact records, and edited or deleted again before that refresh, which
  // would then not know to recount the month.
  const phraseMonths = new Map<number, PhraseMonth>();
  const planned = new Set(answers);
  const languages = (await readCutDictionaries(sql)).values.get('language')!;
  const phrasesOf = memoPhrases();
  for (const month of months) {
    const counts = new PhraseMonth();
    const end = monthStart(month + 1);
    for (let day = monthStart(month); day < end; day += 86_400_000) {
      for (const r of await sql.all<{ rowid: number; language: number; comment: string | null }>(
        `SELECT f.answer_rowid AS rowid, f.d_language AS language, a.comment FROM programme_facts f
         JOIN programme_answers a ON a.rowid = f.answer_rowid
         WHERE f.at >= ? AND f.at < ? AND f.commented = 1`,
        [day, Math.min(day + 86_400_000, end)],
      ))
        if (!planned.has(r.rowid) && hasComment(r.comment))
          counts.add(languages[r.language] ?? UNKNOWN_CUT, phrasesOf(r.comment!));
      await pause();
    }
    for (const { language, comment } of plannedComments.get(month) ?? [])
      counts.add(language, phrasesOf(comment));
    phraseMonths.set(month, counts);
  }
  return {
    upTo,
    generation,
    answers: answers.length,
    tickets: tickets.length,
    removedAnswers: answers,
    addedAnswers,
    removedTickets: tickets,
    addedTickets,
    cutMonths,
    interactions: [...interactions],
    phraseMonths,
    numbering,
  };
}

/**
 * Writes a plan, inside the caller's (short) transaction: the changed facts replaced, the monthly counts merged,
 * the pairs of the interactions touched and the phrase counts of the months recounted replaced, the changes it
 * covered cleared.
 */
export async function applyRefresh(sql: Sql, plan: RefreshPlan): Promise<void> {
  await plan.numbering.write(sql);
  for (let start = 0; start < plan.removedAnswers.length; start += REFRESH_BATCH)
    await sql.run(`DELETE FROM programme_facts WHERE answer_rowid IN ${integerList(sql)}`, [
      JSON.stringify(plan.removedAnswers.slice(start, start + REFRESH_BATCH)),
    ]);
  for (let start = 0; start < plan.removedTickets.length; start += REFRESH_BATCH)
    await sql.run(`DELETE FROM programme_ticket_facts WHERE id IN ${integerList(sql)}`, [
      JSON.stringify(plan.removedTickets.slice(start, start + REFRESH_BATCH)),
    ]);
  const write = factWriters(sql);
  for (const fact of plan.addedAnswers) write.answer(fact);
  for (const fact of plan.addedTickets) write.ticket(fact);
  await write.flush();
  await plan.cutMonths.write(sql, plan.numbering.surveyCodes());
  for (let start = 0; start < plan.interactions.length; start += REFRESH_BATCH)
    await writePairs(sql, plan.interactions.slice(start, start + REFRESH_BATCH));
  for (const [month, counts] of plan.phraseMonths) await counts.write(sql, month);
  await sql.run('DELETE FROM programme_dirty WHERE seq <= ?', [plan.upTo]);
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

export async function readCutDictionaries(sql: Sql): Promise<CutDictionaries> {
  const values = new Map<ProgrammeDimension, string[]>(
    FACT_DIMENSIONS.map((dimension) => [dimension, [UNKNOWN_CUT]]),
  );
  const scores: { kind: number; value: number }[] = [];
  for (const row of await sql.all<{ dimension: ProgrammeDimension | 'score'; id: number; value: string }>(
    'SELECT dimension, id, value FROM programme_cut_values',
  )) {
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
async function tally(
  sql: Sql,
  parts: readonly KeyPart[],
  fromWhere: string,
  params: readonly number[],
): Promise<{ parts: number[]; n: number }[] | null> {
  let size = 1;
  for (const part of parts) size *= Math.max(1, part.radix);
  if (size > Number.MAX_SAFE_INTEGER) return null;
  const key = parts.reduce((text, part) => `(${text}) * ${part.radix} + ${part.sql}`, '0');
  let counted: { key: number; n: number }[];
  if (sql.dialect === 'sqlite') {
    await sql.exec(
      'CREATE TEMP TABLE IF NOT EXISTS programme_tally (key INTEGER PRIMARY KEY, n INTEGER NOT NULL); DELETE FROM temp.programme_tally',
    );
    await sql.run(
      `INSERT INTO temp.programme_tally (key, n) SELECT ${key}, 1 ${fromWhere}
       ON CONFLICT (key) DO UPDATE SET n = n + 1`,
      params,
    );
    counted = await sql.all<{ key: number; n: number }>('SELECT key, n FROM temp.programme_tally');
    await sql.exec('DELETE FROM temp.programme_tally');
  } else {
    // PostgreSQL aggregates by hashing (no sort of every row): a plain GROUP BY of the one key.
    counted = await sql.all<{ key: number; n: number }>(
      `SELECT ${key} AS key, COUNT(*) AS n ${fromWhere} GROUP BY 1`,
      params,
    );
  }
  const rows: { parts: number[]; n: number }[] = [];
  for (const row of counted) {
    const values = new Array<number>(parts.length);
    let rest = row.key;
    for (let index = parts.length - 1; index >= 0; index -= 1) {
      const radix = parts[index]!.radix;
      values[index] = rest % radix;
      rest = Math.floor(rest / radix);
    }
    rows.push({ parts: values, n: row.n });
  }
  return rows;
}

/**
 * The report's counts. SQL counts the period's facts per cell (the cuts asked for and the bucket) and score
 * — a few thousand keys whatever the number of answers — and the tickets per cell and incident; the sums of
 * the figures follow exactly (whole scores times their counts). The C:CER pairs whose two answers fall in the
 * period come grouped by both answers' cells and efforts: a pair counts in a cell when both answers are in it.
 */
export async function readProgrammeCounts(
  sql: Sql,
  dictionaries: CutDictionaries,
  query: ProgrammeQuery,
  options: { readonly groupBy?: boolean } = {},
): Promise<{ cells: ProgrammeCountedCell[]; totalPairs: ProgrammePairCount[] }> {
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
      : await tally(
          sql,
          [...cutParts, { sql: 'code', radix: dictionaries.scores.length }],
          'FROM programme_facts WHERE at >= ? AND at < ?',
          period,
        );
  const tickets =
    options.groupBy === true
      ? null
      : await tally(
          sql,
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
    const columns = [...by.map((dimension) => column(dimension)), cutParts[by.length]!.sql]
      .map((expression, index) => `${expression} AS p${index}`)
      .join(', ');
    const grouping = [
      ...by.map((dimension) => column(dimension)),
      ...(query.bucket === null ? [] : [cutParts[by.length]!.sql]),
    ];
    const arrays = async (text: string): Promise<number[][]> =>
      (await sql.all<Record<string, number>>(text, period)).map((row) => Object.values(row));
    const width = by.length + 1;
    for (const row of await arrays(
      `SELECT ${columns}, kind, value, COUNT(*) AS n FROM programme_facts WHERE at >= ? AND at < ?
       GROUP BY ${[...grouping, 'kind', 'value'].join(', ')}`,
    ))
      addAnswers(row.slice(0, by.length), row[by.length]!, row[width]!, row[width + 1]!, row[width + 2]!);
    for (const row of await arrays(
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
  const pairRows = await sql.all<Record<string, number>>(
    `SELECT ${[...side('c', false), ...side('k', false)].map((expression, index) => `${expression} AS p${index}`).join(', ')},
       ces, ke, COUNT(*) AS n FROM programme_pairs
     WHERE c_at >= ? AND c_at < ? AND k_at >= ? AND k_at < ?
     GROUP BY ${[...side('c', true), ...side('k', true), 'ces', 'ke'].join(', ')}`,
    [query.fromMs, query.toMs, query.fromMs, query.toMs],
  );
  for (const row of pairRows.map((named) => Object.values(named))) {
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
export async function readSignalCounts(
  sql: Sql,
  dictionaries: CutDictionaries,
  window: SignalWindow,
  dimensions: readonly ProgrammeDimension[],
): Promise<{ cells: SignalCutCounts[]; keywords: KeywordCounts[] }> {
  const first = monthNumberOfLabel(window.labels[0]!);
  const recent = first + window.baselineMonths;
  const end = first + window.months;
  const order = new Map<string, number>([
    ['all', 0],
    ...dimensions.map((dimension, index): [string, number] => [dimension, index + 1]),
  ]);
  const found = new Map<
    string,
    { cell: SignalCutCounts; firstAnswer: First; firstTicket: First; order: number }
  >();
  for (const row of await sql.all<{
    dimension: ProgrammeDimension | 'all';
    value_id: number;
    month: number;
    csat_n: number;
    csat_ok: number;
    nps_n: number;
    promoters: number;
    detractors: number;
    first_at: number | null;
    first_rowid: number | null;
    tickets: number;
    incidents: number;
    first_ticket_at: number | null;
    first_ticket: number | null;
  }>(
    `SELECT dimension, value_id, month, csat_n, csat_ok, nps_n, promoters, detractors, first_at, first_rowid,
       tickets, incidents, first_ticket_at, first_ticket FROM programme_cut_months WHERE month >= ? AND month < ?`,
    [first, end],
  )) {
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
    entry.firstAnswer = earlier(
      entry.firstAnswer,
      row.first_at === null ? null : [row.first_at, row.first_rowid!],
    );
    entry.firstTicket = earlier(
      entry.firstTicket,
      row.first_ticket_at === null ? null : [row.first_ticket_at, row.first_ticket!],
    );
  }
  const cells = [...found.values()]
    .sort((a, b) => {
      if ((a.firstAnswer === null) !== (b.firstAnswer === null)) return a.firstAnswer === null ? 1 : -1;
      const [x, y] =
        a.firstAnswer !== null ? [a.firstAnswer, b.firstAnswer!] : [a.firstTicket!, b.firstTicket!];
      const byFirst = x[0] - y[0] || x[1] - y[1];
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
  for (const row of await sql.all<{ language: string; before: number; after: number }>(
    `SELECT language, COALESCE(SUM(CASE WHEN month < ? THEN comments END), 0) AS before,
       COALESCE(SUM(CASE WHEN month >= ? THEN comments END), 0) AS after
     FROM programme_comment_counts WHERE month >= ? AND month < ? GROUP BY language`,
    [recent, recent, first, end],
  ))
    keywordsOf(row.language).comments = [row.before, row.after];
  for (const row of await sql.all<{ language: string; phrase: string; before: number; after: number }>(
    `SELECT language, phrase, COALESCE(SUM(CASE WHEN month < ? THEN comments END), 0) AS before,
       COALESCE(SUM(CASE WHEN month >= ? THEN comments END), 0) AS after
     FROM programme_phrase_counts WHERE month >= ? AND month < ? GROUP BY language, phrase`,
    [recent, recent, first, end],
  ))
    keywordsOf(row.language).phrases.set(row.phrase, [row.before, row.after]);
  return {
    cells,
    keywords: [...keywords].map(([language, entry]) => ({ language, ...entry })),
  };
}

/**
 * The answers and tickets behind the signs raised, read from the recent months' facts only when a sign asks.
 * The scan asks synchronously; the reads are not: `evidence` answers from what was read and notes what it could
 * not answer, `load()` reads what was noted (true when there was something), and the caller scans again until
 * nothing new is asked (programme-service.ts). What it answers: the tickets of the matching answers (or
 * incidents) of the sign's cut, in the order they were given; the answers whose comment holds a raised phrase,
 * streaming the recent comments once for all the phrases asked.
 */
export function signalEvidence(
  sql: Sql,
  dictionaries: CutDictionaries,
  window: SignalWindow,
): { readonly evidence: SignalEvidence; load(): Promise<boolean> } {
  const idOf = (dimension: ProgrammeDimension, value: string): number => {
    if (value === UNKNOWN_CUT) return 0;
    const id = dictionaries.values.get(dimension)!.indexOf(value);
    return id < 0 ? -1 : id;
  };
  const phrasesOf = memoPhrases();
  const languages = dictionaries.values.get('language')!;
  const keywordKey = (language: string, phrase: string): string => `${language}\u0000${phrase}`;
  /** Per keyword asked: the answers holding it and their tickets. */
  const keywords = new Map<string, { holders: Set<string>; tickets: Set<string> }>();
  const keywordsAsked = new Map<string, { language: string; phrase: string }>();
  const behind = new Map<string, string[]>();
  const behindAsked = new Map<string, SignSubject>();
  const subjectKey = (subject: SignSubject): string =>
    JSON.stringify([subject.kind, subject.dimension, subject.value, subject.phrase ?? null]);

  const readKeywords = async (list: readonly { language: string; phrase: string }[]): Promise<void> => {
    const found = list.map(() => ({ holders: new Set<string>(), tickets: new Set<string>() }));
    let after: [number, number] | null = null;
    for (;;) {
      const page: {
        rowid: number;
        at: number;
        id: string;
        comment: string;
        d_language: number;
        ticket_id: number | null;
      }[] = await sql.all(
        `SELECT f.answer_rowid AS rowid, f.at, a.id, a.comment, f.d_language, f.ticket_id FROM programme_facts f
           JOIN programme_answers a ON a.rowid = f.answer_rowid
           WHERE f.at >= ? AND f.at < ? AND a.comment IS NOT NULL
             ${after === null ? '' : 'AND (f.at, f.answer_rowid) > (?, ?)'}
           ORDER BY f.at, f.answer_rowid LIMIT ${READ_PAGE}`,
        [window.recentMs, window.endMs, ...(after ?? [])],
      );
      for (const row of page) {
        const language = languages[row.d_language] ?? UNKNOWN_CUT;
        const held = phrasesOf(row.comment);
        list.forEach((item, index) => {
          if (item.language !== language || !held.has(item.phrase)) return;
          found[index]!.holders.add(row.id);
          if (row.ticket_id !== null) found[index]!.tickets.add(String(row.ticket_id));
        });
      }
      if (page.length < READ_PAGE) break;
      const last = page[page.length - 1]!;
      after = [last.at, last.rowid];
    }
    list.forEach((item, index) => keywords.set(keywordKey(item.language, item.phrase), found[index]!));
  };
  const ids = async (text: string, params: readonly number[]): Promise<string[]> => {
    const found = new Set<string>();
    for (const row of await sql.all<{ id: number }>(text, [window.recentMs, window.endMs, ...params]))
      found.add(String(row.id));
    return [...found];
  };
  const readBehind = async (subject: SignSubject): Promise<string[]> => {
    const inCut = subject.dimension === 'all' ? '' : `AND ${column(subject.dimension)} = ?`;
    const params = subject.dimension === 'all' ? [] : [idOf(subject.dimension, subject.value)];
    if (subject.kind === 'complaints_rising' || subject.kind === 'complaints_up_recommendations_down')
      return ids(
        `SELECT id FROM programme_ticket_facts WHERE at >= ? AND at < ? AND incident = 1 ${inCut} ORDER BY at, id`,
        params,
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
         AND code IN (${codes.join(', ') || 'NULL'}) ${inCut} ORDER BY at, answer_rowid`,
      params,
    );
  };
  const evidence: SignalEvidence = {
    keywordHolders: (list) =>
      list.map((item) => {
        const key = keywordKey(item.language, item.phrase);
        const known = keywords.get(key);
        if (known === undefined) keywordsAsked.set(key, item);
        return new Set(known?.holders ?? []);
      }),
    ticketsBehind: (subject) => {
      if (subject.kind === 'emerging_keyword') {
        const key = keywordKey(subject.value, subject.phrase!);
        const known = keywords.get(key);
        if (known === undefined) keywordsAsked.set(key, { language: subject.value, phrase: subject.phrase! });
        return [...(known?.tickets ?? [])];
      }
      const key = subjectKey(subject);
      const known = behind.get(key);
      if (known === undefined) behindAsked.set(key, subject);
      return [...(known ?? [])];
    },
  };
  return {
    evidence,
    async load() {
      if (keywordsAsked.size === 0 && behindAsked.size === 0) return false;
      const list = [...keywordsAsked.values()];
      keywordsAsked.clear();
      if (list.length > 0) await readKeywords(list);
      const subjects = [...behindAsked];
      behindAsked.clear();
      for (const [key, subject] of subjects) behind.set(key, await readBehind(subject));
      return true;
    },
  };
}
