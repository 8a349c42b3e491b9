import { AsyncLocalStorage } from 'node:async_hooks';
import type { StatementSync } from 'node:sqlite';
import type pg from 'pg';
import type { Store } from './database.ts';
import type { PostgresStore } from './postgres.ts';

/**
 * One way for the code above the store to speak SQL, whichever database it runs on: the embedded SQLite file
 * (`node:sqlite`, `BOUCLE_DB_PATH`) or a PostgreSQL server (`pg`, `BOUCLE_DATABASE_URL`).
 *
 * - Statements are written once, with `?` placeholders; on PostgreSQL they become `$1, $2 …` (outside quotes and
 *   comments). Write SQL both understand: `INSERT … ON CONFLICT … DO NOTHING/UPDATE`, `RETURNING`, `COALESCE`,
 *   integers for times (epoch ms) and booleans (0/1). Where the two really differ, branch on `dialect`.
 * - Integers come back as JavaScript numbers on both (PostgreSQL's `BIGINT`, `COUNT(*)` and `NUMERIC` included:
 *   the pool parses them, see `postgresTypes`).
 * - `transaction(work)` runs `work` in one transaction; every statement issued from inside it (through this object
 *   or the `tx` it is given, however deep the calls) joins it. Nested calls join the outer transaction. On SQLite a
 *   transaction holds the connection: statements from elsewhere wait until it ends (they never slip into it).
 */
export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlRunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
}

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  /** Where the data lives, for messages (a PostgreSQL URL's password is masked). */
  readonly where: string;
  all<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<SqlRunResult>;
  /** Several statements, no parameters (DDL, scripts). */
  exec(sql: string): Promise<void>;
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Reads that see one state of the data, without holding back writers elsewhere: SQLite, a deferred transaction
   * (WAL: other connections keep committing; statements from elsewhere in this process wait, as for
   * `transaction`); PostgreSQL, REPEATABLE READ, READ ONLY. Only temporary tables may be written inside.
   */
  snapshot<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

/** `?` → `$1, $2 …`, leaving quoted strings, quoted identifiers, dollar-quoted bodies and comments alone. */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end === -1 ? sql.length : end + tag.length;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      out += `$${++n}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** Parsers that make PostgreSQL's 64-bit integers and numerics JavaScript numbers, as SQLite's are. */
export function postgresTypes(types: typeof pg.types): pg.CustomTypesConfig {
  const asNumber = (text: string): number => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) && Number.isInteger(value))
      throw new Error(`The integer ${text} is too large for a JavaScript number.`);
    return value;
  };
  const int8: number = types.builtins.INT8;
  const numeric: number = types.builtins.NUMERIC;
  const fallback = types.getTypeParser.bind(types) as (oid: number, format?: 'text' | 'binary') => unknown;
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === int8 || oid === numeric
        ? asNumber
        : fallback(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** The SQLite store behind `Sql`. Prepared statements are kept per SQL text. */
export function sqliteSql(store: Store): Sql {
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = store.db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const inside = new AsyncLocalStorage<symbol>();
  let holder: symbol | undefined;
  let released: Promise<void> = Promise.resolve();
  /** Waits while another flow's transaction holds the connection. */
  const turn = async (): Promise<void> => {
    while (holder !== undefined && inside.getStore() !== holder) await released;
  };
  const params = (values: readonly SqlValue[]): SqlValue[] => values as SqlValue[];
  const sql: Sql = {
    dialect: 'sqlite',
    where: `${store.path} (BOUCLE_DB_PATH)`,
    async all<T extends object>(text: string, values: readonly SqlValue[] = []): Promise<T[]> {
      await turn();
      return prepare(text).all(...params(values)) as T[];
    },
    async get<T extends object>(text: string, values: readonly SqlValue[] = []): Promise<T | undefined> {
      await turn();
      return prepare(text).get(...params(values)) as T | undefined;
    },
    async run(text: string, values: readonly SqlValue[] = []): Promise<SqlRunResult> {
      await turn();
      return { changes: Number(prepare(text).run(...params(values)).changes) };
    },
    async exec(text: string): Promise<void> {
      await turn();
      store.db.exec(text);
    },
    async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      if (holder !== undefined && inside.getStore() === holder) return work(sql);
      await turn();
      const token = Symbol('sqlite transaction');
      holder = token;
      let release!: () => void;
      released = new Promise<void>((resolve) => (release = resolve));
      try {
        return await store.transactionAsync(() => inside.run(token, () => work(sql)));
      } finally {
        holder = undefined;
        release();
      }
    },
    async snapshot<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      if (holder !== undefined && inside.getStore() === holder) return work(sql);
      await turn();
      const token = Symbol('sqlite snapshot');
      holder = token;
      let release!: () => void;
      released = new Promise<void>((resolve) => (release = resolve));
      try {
        store.db.exec('BEGIN');
        try {
          const result = await inside.run(token, () => work(sql));
          store.db.exec('COMMIT');
          return result;
        } catch (error) {
          store.db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        holder = undefined;
        release();
      }
    },
  };
  return sql;
}

/** The PostgreSQL store behind `Sql` (its pool; a transaction holds one connection). */
export function postgresSql(store: PostgresStore): Sql {
  const texts = new Map<string, string>();
  const translate = (sql: string): string => {
    let text = texts.get(sql);
    if (text === undefined) {
      text = toPostgresPlaceholders(sql);
      texts.set(sql, text);
    }
    return text;
  };
  const inside = new AsyncLocalStorage<pg.ClientBase>();
  const runner = (): pg.ClientBase | pg.Pool => inside.getStore() ?? store.pool;
  const query = async (text: string, values: readonly SqlValue[]): Promise<pg.QueryResult> =>
    runner().query(translate(text), values as unknown[]);
  const sql: Sql = {
    dialect: 'postgres',
    where: `${store.where} (BOUCLE_DATABASE_URL)`,
    async all<T extends object>(text: string, values: readonly SqlValue[] = []): Promise<T[]> {
      return (await query(text, values)).rows as T[];
    },
    async get<T extends object>(text: string, values: readonly SqlValue[] = []): Promise<T | undefined> {
      return (await query(text, values)).rows[0] as T | undefined;
    },
    async run(text: string, values: readonly SqlValue[] = []): Promise<SqlRunResult> {
      return { changes: (await query(text, values)).rowCount ?? 0 };
    },
    async exec(text: string): Promise<void> {
      await runner().query(text);
    },
    async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      if (inside.getStore() !== undefined) return work(sql);
      return store.transaction((client) => inside.run(client, () => work(sql)));
    },
    async snapshot<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      if (inside.getStore() !== undefined) return work(sql);
      return store.transaction(async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        return inside.run(client, () => work(sql));
      });
    },
  };
  return sql;
}
