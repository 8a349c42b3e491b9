import { resolve } from 'node:path';
import type { StoreSettings } from '../config/store.ts';
import { openStore, type FeatureSchema } from './database.ts';
import { openPostgresStore } from './postgres.ts';
import { postgresSql, sqliteSql, type Sql } from './sql.ts';

/** A command's store behind the `Sql` port, and how to close it. */
export interface OpenedSql {
  readonly sql: Sql;
  close(): Promise<void>;
}

/**
 * The store a command works on, with `schemas` migrated: the PostgreSQL server of `BOUCLE_DATABASE_URL` when set
 * (a clear error when it cannot be used), else the SQLite file of `BOUCLE_DB_PATH` (relative to `cwd`).
 */
export async function openSql(
  store: StoreSettings,
  cwd: string,
  schemas: readonly FeatureSchema[],
  options: { readonly max?: number } = {},
): Promise<OpenedSql> {
  if (store.databaseUrl === undefined) {
    const sqlite = openStore(resolve(cwd, store.path), schemas);
    return {
      sql: sqliteSql(sqlite),
      close: () => {
        sqlite.close();
        return Promise.resolve();
      },
    };
  }
  const postgres = await openPostgresStore(store.databaseUrl, schemas, {
    ...(options.max === undefined ? {} : { max: options.max }),
  });
  return { sql: postgresSql(postgres), close: () => postgres.close() };
}
