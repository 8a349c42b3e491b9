import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { openProgrammeSql } from './programme-store.ts';
import { describeIncrementalRefreshFuzz } from './testing-programme-fuzz.ts';

// PostgreSQL: a fresh database per run (the triggers, the change log and the refreshes are PostgreSQL's own).
describeIncrementalRefreshFuzz(
  'PostgreSQL',
  async () => openProgrammeSql({ path: '', databaseUrl: await freshPostgresDatabase() }),
  40,
);
