import { parsers, type ConfigSection } from './config.ts';

/**
 * Where Boucle keeps its state: the embedded SQLite file (default), and, with `BOUCLE_DATABASE_URL`, a PostgreSQL
 * server for the parts that run on it (docs/scaling.md says which).
 */
export interface StoreSettings {
  readonly path: string;
  /** postgres://user:password@host:port/database — absent: everything stays in the SQLite file. */
  readonly databaseUrl: string | undefined;
}

/** Reads a postgres:// URL; throws a message that says what a good one looks like (never echoing the password). */
export function parsePostgresUrl(raw: string): string {
  const example = 'postgres://boucle:PASSWORD@db.internal:5432/boucle';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`is not a URL; write it as ${example}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new Error(`must start with postgres:// (found ${url.protocol}//); e.g. ${example}`);
  if (url.hostname === '' && !url.searchParams.has('host'))
    throw new Error(`names no host; e.g. ${example} (or ?host=/run/postgresql for a socket)`);
  if (url.pathname.replace(/^\//, '') === '')
    throw new Error(`names no database after the host; e.g. ${example}`);
  if (url.port !== '' && !(Number(url.port) > 0 && Number(url.port) < 65_536))
    throw new Error(`has a bad port ${url.port}`);
  return raw;
}

const keys = {
  BOUCLE_DB_PATH: {
    description: "path of Boucle's SQLite database file (created if missing)",
    default: 'data/boucle.sqlite',
    parse: parsers.string,
  },
  BOUCLE_DATABASE_URL: {
    description:
      'PostgreSQL server shared by several `boucle serve` workers (postgres://user:password@host:port/database); ' +
      'empty: the SQLite file only (docs/scaling.md)',
    example: 'postgres://boucle:PASSWORD@db.internal:5432/boucle',
    secret: true,
    parse: parsePostgresUrl,
  },
} as const;

export const storeSection: ConfigSection<typeof keys, StoreSettings> = {
  name: 'store',
  keys,
  build: (v) => ({ value: { path: v.BOUCLE_DB_PATH, databaseUrl: v.BOUCLE_DATABASE_URL } }),
};
