// For *.pg.test.ts files only: the real PostgreSQL server that scripts/test-setup/postgres.ts started for this run.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { controlPostgresCluster } from '../../../scripts/postgres-cluster.ts';

/** The URL of the run's server (its `boucle` database). */
export function postgresUrl(): string {
  return inject('postgresUrl');
}

/** A new, empty database on the run's server; its URL. Each test gets its own, so tests never see each other. */
export async function freshPostgresDatabase(): Promise<string> {
  const name = `boucle_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Stops the server (fast shutdown: every connection is cut) until `startPostgres`. */
export function stopPostgres(): void {
  controlPostgresCluster(inject('postgresDataDir'), 'stop');
}

export function startPostgres(): void {
  controlPostgresCluster(inject('postgresDataDir'), 'start');
}
