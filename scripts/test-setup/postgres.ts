import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://… of the throwaway cluster this run started (scripts/postgres-cluster.ts). */
    postgresUrl: string;
    postgresDataDir: string;
    postgresPort: number;
  }
}

/**
 * Global setup of the `postgres` test project (files named *.pg.test.ts): one real PostgreSQL server for the
 * run, installed when missing, owned by an unprivileged user, removed at the end. Tests read its URL with
 * `inject('postgresUrl')` and stop/start it through connectors/src/store/testing-postgres.ts.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPostgresCluster({ durable: false });
  project.provide('postgresUrl', cluster.url);
  project.provide('postgresDataDir', cluster.dataDir);
  project.provide('postgresPort', cluster.port);
  return () => cluster.destroy();
}
