import { openProgrammeSql } from './programme-store.ts';
import { describeIncrementalRefreshFuzz } from './testing-programme-fuzz.ts';

// SQLite, in memory: many runs (the PostgreSQL twin, programme-facts-fuzz.pg.test.ts, makes fewer).
describeIncrementalRefreshFuzz('SQLite', () => openProgrammeSql({ path: ':memory:' }), 300);
