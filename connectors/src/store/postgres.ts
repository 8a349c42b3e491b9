import pg from 'pg';
import type { FeatureSchema } from './database.ts';
import { checkMigrationNumbers, pendingMigrations } from './database.ts';
import { postgresTypes } from './sql.ts';

/**
 * Boucle's state on a PostgreSQL server (`BOUCLE_DATABASE_URL`), through `pg` (node-postgres): a pool of
 * connections, one transaction helper, and the same per-feature migration history as the SQLite store
 * (connectors/src/store/database.ts). Several processes may open it at once: migrations run under an advisory
 * lock, so exactly one of them applies each missing version.
 */

/** A migration's PostgreSQL step: SQL (several statements allowed) or a function for data migrations. */
export type PostgresMigrationStep = string | ((client: pg.ClientBase) => Promise<void>);

export interface PostgresStore {
  readonly pool: pg.Pool;
  /** The URL with its password masked, for messages. */
  readonly where: string;
  /** BEGIN … COMMIT on one connection of the pool (ROLLBACK on throw). */
  transaction<T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  readonly max?: number;
  /** Give up connecting after this long (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Idle connections that break (server restarted) are reported here instead of crashing the process. */
  readonly onIdleError?: (error: Error) => void;
}

/** Advisory-lock key of the migration runner (any constant bigint; shared by every Boucle process). */
const MIGRATION_LOCK = 0x626f75636c65n; // "boucle"

/** The URL with its password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unreadable URL)';
  }
}

/** Error codes that mean "the database cannot be reached right now" (server down, restarting, network). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up / shutting down)
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

/** True when `error` means the server is unreachable for now (retry later), not that the request was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    message,
  );
}

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/** Turns a connection failure into a message that says what to fix in BOUCLE_DATABASE_URL. */
export function describeConnectionError(error: unknown, url: string): Error {
  const where = redactUrl(url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const user = decodeURIComponent(parsed?.username ?? '') || '(none)';
  const database = decodeURIComponent(parsed?.pathname.replace(/^\//, '') ?? '');
  const hostPort = `${parsed?.hostname ?? '?'}:${parsed?.port || '5432'}`;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const why = ((): string => {
    switch (code) {
      case '28P01':
        return `the server refused the password of user "${user}": fix the password in BOUCLE_DATABASE_URL`;
      case '28000':
        return `the server refused user "${user}" (${message}): check the user name in BOUCLE_DATABASE_URL and the server's pg_hba.conf`;
      case '3D000':
        return `database "${database}" does not exist on ${hostPort}: create it (createdb ${database}) or fix its name in BOUCLE_DATABASE_URL`;
      case 'ECONNREFUSED':
        return `nothing accepts connections at ${hostPort}: is PostgreSQL running there, and are the host and port in BOUCLE_DATABASE_URL right?`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `host "${parsed?.hostname ?? '?'}" is unknown: fix the host in BOUCLE_DATABASE_URL`;
      default:
        return /timeout/i.test(message)
          ? `no answer from ${hostPort} in time: check the host and port in BOUCLE_DATABASE_URL and the network`
          : `${message}${typeof code === 'string' ? ` (${code})` : ''}`;
    }
  })();
  return new Error(`Cannot use the PostgreSQL database ${where}: ${why}.`, { cause: error });
}

/** Connects (failing with a clear message), then applies every feature's missing migrations. */
export async function openPostgresStore(
  url: string,
  schemas: readonly FeatureSchema[],
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'boucle',
    // BIGINT, COUNT(*) and NUMERIC as numbers, as SQLite gives them (store/sql.ts).
    types: postgresTypes(pg.types),
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  const transaction = async <T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken = false;
    // A checked-out client whose connection dies emits 'error': without a listener it would end the process.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  };
  const store: PostgresStore = { pool, where, transaction, close: () => pool.end() };
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw describeConnectionError(error, url);
  }
  const onError = (error: Error): void => options.onIdleError?.(error);
  client.on('error', onError);
  try {
    await migrate(client, schemas, where);
  } catch (error) {
    client.off('error', onError);
    client.release(true);
    await pool.end().catch(() => undefined);
    throw error;
  }
  client.off('error', onError);
  client.release();
  return store;
}

async function migrate(
  client: pg.ClientBase,
  schemas: readonly FeatureSchema[],
  where: string,
): Promise<void> {
  // Every program's features must be migratable here before anything is applied.
  for (const schema of schemas) {
    checkMigrationNumbers(schema);
    const missing = schema.migrations.filter((m) => typeof m.up !== 'object');
    if (missing.length > 0)
      throw new Error(
        `Feature "${schema.feature}" cannot run on PostgreSQL yet: migration ${missing.map((m) => m.version).join(', ')} ` +
          'has SQLite SQL only (give it `up: { sqlite, postgres }`).',
      );
  }
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      feature TEXT NOT NULL,
      version INTEGER NOT NULL,
      description TEXT NOT NULL,
      applied_at TEXT NOT NULL,
      PRIMARY KEY (feature, version)
    )`);
    for (const schema of schemas) {
      const { rows } = await client.query<{ version: number | null }>(
        'SELECT MAX(version) AS version FROM schema_migrations WHERE feature = $1',
        [schema.feature],
      );
      for (const migration of pendingMigrations(schema, rows[0]?.version ?? 0, where)) {
        const up = migration.up;
        if (typeof up !== 'object') continue; // checked above
        await client.query('BEGIN');
        try {
          if (typeof up.postgres === 'string') await client.query(up.postgres);
          else await up.postgres(client);
          await client.query(
            'INSERT INTO schema_migrations (feature, version, description, applied_at) VALUES ($1, $2, $3, $4)',
            [schema.feature, migration.version, migration.description, new Date().toISOString()],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(
            `Migration ${schema.feature} ${migration.version} (${migration.description}) failed on ${where}: ${(error as Error).message}`,
            { cause: error },
          );
        }
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
  }
}
