import { afterEach, describe, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../store/postgres.ts';
import { postgresSql } from '../store/sql.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { POLICY_SCHEMA } from './policy-history.ts';
import { checkHistoryContract } from './policy-history-contract.ts';

const open: PostgresStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

describe('policy history on PostgreSQL', () => {
  it('keeps the same contract as on SQLite (append only, newest first, numbers as numbers)', async () => {
    const store = await openPostgresStore(await freshPostgresDatabase(), [POLICY_SCHEMA]);
    open.push(store);
    await checkHistoryContract(postgresSql(store));
  });
});
