// A throwaway PostgreSQL cluster for tests and benchmarks: Debian's `postgresql` (installed with apt-get when it is
// missing and we are root), initdb'd in a temporary directory, started on a free loopback port, removed afterwards.
// PostgreSQL refuses to run as root, so as root the cluster belongs to the unprivileged user `nobody`.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface PostgresCluster {
  /** postgres://boucle:…@127.0.0.1:PORT/boucle */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  readonly dataDir: string;
  /** Stops the server (fast shutdown: open connections are cut), keeping the data. */
  stop(): void;
  /** Starts it again on the same port and data. */
  start(): void;
  /** Stops it and deletes the data directory. */
  destroy(): void;
}

const PASSWORD = 'boucle-test-password';

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The newest PostgreSQL server binaries Debian installed, or undefined. */
function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Installs Debian's `postgresql` when missing; throws a message saying what to do when we may not. */
export function ensurePostgresInstalled(): string {
  const found = findBinDir();
  if (found !== undefined) return found;
  if (!isRoot()) {
    throw new Error(
      'The PostgreSQL tests need a PostgreSQL server and none was found under /usr/lib/postgresql.\n' +
        'Install it with: sudo apt-get install -y postgresql (the tests start their own throwaway cluster; ' +
        'the system service is not used).',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  process.stdout.write('Installing PostgreSQL for the database tests (apt-get install postgresql)…\n');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], {
    stdio: 'inherit',
    env,
  });
  const installed = findBinDir();
  if (installed === undefined) throw new Error('apt-get installed postgresql but no initdb was found.');
  return installed;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs one PostgreSQL program, as `nobody` when we are root (PostgreSQL refuses root). */
function runPostgresProgram(command: string, args: readonly string[], cwd: string): void {
  const bin = ensurePostgresInstalled();
  const file = join(bin, command);
  const [exe, argv] = isRoot() ? ['runuser', ['-u', 'nobody', '--', file, ...args]] : [file, [...args]];
  const result = spawnSync(exe, argv, { encoding: 'utf8', cwd });
  if (result.status !== 0)
    throw new Error(
      `${command} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`.trim(),
    );
}

/** Stops (fast: open connections are cut) or starts the cluster whose data directory is `dataDir`. */
export function controlPostgresCluster(dataDir: string, action: 'start' | 'stop'): void {
  const base = dirname(dataDir);
  if (action === 'start')
    runPostgresProgram(
      'pg_ctl',
      ['-D', dataDir, '-l', join(base, 'server.log'), '-w', '-t', '60', 'start'],
      base,
    );
  else runPostgresProgram('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], base);
}

/** Starts a fresh cluster. The caller must `destroy()` it. */
export async function startPostgresCluster(
  options: { readonly durable?: boolean } = {},
): Promise<PostgresCluster> {
  ensurePostgresInstalled();
  const port = await freePort();
  const base = mkdtempSync(join(tmpdir(), 'boucle-pg-'));
  const dataDir = join(base, 'data');
  if (isRoot()) {
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    const group = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
    chownSync(base, nobody, group);
  }
  chmodSync(base, 0o700);
  const pwfile = join(base, 'pwfile');
  writeFileSync(pwfile, PASSWORD, { mode: 0o644 });
  runPostgresProgram(
    'initdb',
    [
      '-D',
      dataDir,
      '-U',
      'boucle',
      '--pwfile',
      pwfile,
      '--auth-host=scram-sha-256',
      '--auth-local=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ],
    base,
  );
  rmSync(pwfile);
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    [
      '',
      '# boucle test cluster (scripts/postgres-cluster.ts)',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${base}'`,
      'max_connections = 200',
      // Tests stop the server cleanly (fast shutdown), never the OS: fsync adds nothing there but time.
      // Benchmarks keep PostgreSQL's defaults (fsync, synchronous_commit on).
      ...(options.durable === false ? ['fsync = off', 'full_page_writes = off'] : []),
      '',
    ].join('\n'),
  );
  controlPostgresCluster(dataDir, 'start');
  runPostgresProgram('createdb', ['-h', base, '-p', String(port), '-U', 'boucle', 'boucle'], base);
  let destroyed = false;
  return {
    url: `postgres://boucle:${PASSWORD}@127.0.0.1:${port}/boucle`,
    port,
    password: PASSWORD,
    dataDir,
    start: () => controlPostgresCluster(dataDir, 'start'),
    stop: () => controlPostgresCluster(dataDir, 'stop'),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        controlPostgresCluster(dataDir, 'stop');
      } catch {
        // Already stopped.
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}
