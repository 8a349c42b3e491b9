import { afterEach, describe, expect, it } from 'vitest';
import { FEATURE_SCHEMAS } from './feature-registry.ts';
import { openStore, type FeatureSchema } from './index.ts';
import { openPostgresStore, type PostgresStore } from './postgres.ts';
import { freshPostgresDatabase } from './testing-postgres.ts';

/** Every feature whose history runs on both databases. */
const BOTH: readonly FeatureSchema[] = FEATURE_SCHEMAS;

let postgres: PostgresStore | undefined;
afterEach(async () => {
  await postgres?.close();
  postgres = undefined;
});

describe('one schema history on SQLite and PostgreSQL', () => {
  it('gives every feature the same tables and columns on both, at the same versions', async () => {
    const sqlite = openStore(':memory:', BOTH);
    postgres = await openPostgresStore(await freshPostgresDatabase(), BOTH);
    const sqliteTables = (
      sqlite.db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((row) => row.name);
    const sqliteColumns = Object.fromEntries(
      sqliteTables.map((table) => [
        table,
        (sqlite.db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[])
          .map((row) => row.name)
          .sort(),
      ]),
    );
    const { rows } = await postgres.pool.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
    );
    const postgresColumns: Record<string, string[]> = {};
    for (const row of rows)
      // SQLite gives every table a rowid; the programme's answers are keyed by it, so PostgreSQL has it as a column.
      if (!(row.table_name === 'programme_answers' && row.column_name === 'rowid'))
        (postgresColumns[row.table_name] ??= []).push(row.column_name);
    for (const columns of Object.values(postgresColumns)) columns.sort();
    expect(Object.keys(postgresColumns).sort()).toEqual(sqliteTables);
    expect(postgresColumns).toEqual(sqliteColumns);

    const versions = (
      sqlite.db
        .prepare('SELECT feature, MAX(version) AS v FROM schema_migrations GROUP BY feature')
        .all() as {
        feature: string;
        v: number;
      }[]
    ).map((row) => `${row.feature}:${row.v}`);
    const pgVersions = (
      await postgres.pool.query<{ feature: string; v: number }>(
        'SELECT feature, MAX(version) AS v FROM schema_migrations GROUP BY feature',
      )
    ).rows.map((row) => `${row.feature}:${row.v}`);
    expect(pgVersions.sort()).toEqual(versions.sort());
    sqlite.close();
  });
});
