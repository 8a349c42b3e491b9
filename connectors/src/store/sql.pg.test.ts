import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './database.ts';
import { openPostgresStore } from './postgres.ts';
import { postgresSql, sqliteSql, toPostgresPlaceholders, type Sql } from './sql.ts';
import { freshPostgresDatabase } from './testing-postgres.ts';

const TABLE = `CREATE TABLE items (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  weight REAL,
  at BIGINT NOT NULL
)`;

interface Subject {
  readonly sql: Sql;
  close(): Promise<void>;
}

const subjects: Record<'sqlite' | 'postgres', () => Promise<Subject>> = {
  sqlite: () => {
    const store = openStore(':memory:', []);
    store.db.exec(TABLE);
    return Promise.resolve({ sql: sqliteSql(store), close: () => Promise.resolve(store.close()) });
  },
  postgres: async () => {
    const store = await openPostgresStore(await freshPostgresDatabase(), []);
    await store.pool.query(TABLE);
    return { sql: postgresSql(store), close: () => store.close() };
  },
};

const open: Subject[] = [];
afterEach(async () => {
  for (const subject of open.splice(0)) await subject.close();
});

describe('toPostgresPlaceholders', () => {
  it('numbers the ? in order and leaves quotes and comments alone', () => {
    expect(
      toPostgresPlaceholders(
        `SELECT '?', "a?b", ? -- what?\n, $$ ? $$, /* ? */ ? FROM t WHERE x = 'it''s ?' AND y = ?`,
      ),
    ).toBe(`SELECT '?', "a?b", $1 -- what?\n, $$ ? $$, /* ? */ $2 FROM t WHERE x = 'it''s ?' AND y = $3`);
  });
});

describe.each(['sqlite', 'postgres'] as const)('Sql on %s', (dialect) => {
  async function subject(): Promise<Sql> {
    const s = await subjects[dialect]();
    open.push(s);
    return s.sql;
  }

  it('reads one state of the data in a snapshot while another flow writes', async () => {
    const sql = await subject();
    const insert = 'INSERT INTO items (id, name, weight, at) VALUES (?, ?, NULL, 0)';
    await sql.run(insert, [1, 'one']);
    let go!: () => void;
    // Registered out here, so the write is another flow's, not the snapshot's.
    const write = new Promise<void>((resolve) => (go = resolve)).then(() => sql.run(insert, [2, 'two']));
    const count = 'SELECT COUNT(*) AS n FROM items';
    const seen = await sql.snapshot(async (tx) => {
      const before = await tx.get(count);
      go();
      await new Promise((resolve) => setTimeout(resolve, 50));
      return [before, await tx.get(count)];
    });
    await write;
    expect(seen).toEqual([{ n: 1 }, { n: 1 }]);
    expect(await sql.get(count)).toEqual({ n: 2 });
  });

  it('runs the same statements with ? placeholders, and gives integers back as numbers', async () => {
    const sql = await subject();
    expect(sql.dialect).toBe(dialect);
    const at = Date.parse('2026-12-02T10:00:00Z');
    expect(
      await sql.run('INSERT INTO items (id, name, weight, at) VALUES (?, ?, ?, ?)', [1, 'a', 0.5, at]),
    ).toEqual({
      changes: 1,
    });
    const again = await sql.run(
      'INSERT INTO items (id, name, weight, at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
      [2, 'a', 1, at],
    );
    expect(again.changes).toBe(0);
    const row = await sql.get<{ id: number; at: number; n: number }>(
      'SELECT id, at, (SELECT COUNT(*) FROM items) AS n FROM items WHERE name = ?',
      ['a'],
    );
    expect(row).toEqual({ id: 1, at, n: 1 });
    expect(await sql.get('SELECT id FROM items WHERE name = ?', ['none'])).toBeUndefined();
    const returned = await sql.all<{ id: number }>(
      'INSERT INTO items (id, name, at) VALUES (?, ?, ?), (?, ?, ?) RETURNING id',
      [3, 'b', at, 4, 'c', at],
    );
    expect(returned.map((r) => r.id).sort()).toEqual([3, 4]);
  });

  it('commits a transaction, rolls one back on throw, and joins nested ones', async () => {
    const sql = await subject();
    await sql.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [1, 'kept', 0]);
      // Through the outer object, from deeper calls: still the same transaction.
      await sql.transaction(() =>
        sql.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [2, 'kept too', 0]),
      );
    });
    await expect(
      sql.transaction(async (tx) => {
        await tx.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [3, 'lost', 0]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const names = await sql.all<{ name: string }>('SELECT name FROM items ORDER BY id');
    expect(names.map((r) => r.name)).toEqual(['kept', 'kept too']);
  });

  it('keeps statements from elsewhere out of an open transaction', async () => {
    const sql = await subject();
    let inTransaction!: () => void;
    const reached = new Promise<void>((resolve) => (inTransaction = resolve));
    let go!: () => void;
    const proceed = new Promise<void>((resolve) => (go = resolve));
    const failing = sql.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [1, 'rolled back', 0]);
      inTransaction();
      await proceed;
      throw new Error('rollback');
    });
    await reached;
    // Another flow writes while the transaction is open: its row must survive the rollback.
    const other = sql.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [2, 'elsewhere', 0]);
    go();
    await expect(failing).rejects.toThrow('rollback');
    await other;
    const names = await sql.all<{ name: string }>('SELECT name FROM items ORDER BY id');
    expect(names.map((r) => r.name)).toEqual(['elsewhere']);
  });

  it('runs DDL and scripts through exec', async () => {
    const sql = await subject();
    await sql.exec("CREATE TABLE more (k TEXT PRIMARY KEY); INSERT INTO more (k) VALUES ('x');");
    expect(await sql.all('SELECT k FROM more')).toEqual([{ k: 'x' }]);
  });
});
