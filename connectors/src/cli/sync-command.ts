import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ConfigError, environmentWithDotEnv, loadConfig, parsers } from '../config/config.ts';
import { salesforceSection } from '../config/salesforce.ts';
import { storeSection } from '../config/store.ts';
import { SYNC_OBJECTS, syncSection, type SyncObject, type SyncSettings } from '../config/sync.ts';
import { zendeskSection } from '../config/zendesk.ts';
import { SalesforceClient } from '../salesforce/client.ts';
import { SalesforceAuthError } from '../salesforce/errors.ts';
import { PeriodicJobLock } from '../store/job-lock.ts';
import { openSql, type OpenedSql } from '../store/open-sql.ts';
import { SyncBudgetError, SyncMappingError, runSync } from '../sync/engine.ts';
import { jsonProgress, terminalProgress, type ProgressSink } from '../sync/progress.ts';
import { SYNC_SCHEMA } from '../sync/schema.ts';
import { createZendeskSink } from '../sync/zendesk-sink.ts';
import { ZendeskApiError } from '../zendesk/index.ts';
import type { CliIo } from './cli-io.ts';

const HELP = `Usage: boucle sync [--full] [--dry-run] [--objects Account,Contact,…] [--watch [--interval 10m]]

Reads Accounts, Contacts, Opportunities and Orders from Salesforce, computes each customer's value profile and
writes what changed into Zendesk organisation and user fields (external_id = Salesforce Id).

  --full         read everything again through Bulk API 2.0 (otherwise only what changed since the last run)
  --dry-run      read and compute, write nothing to Zendesk (pending writes go out on the next run)
  --objects      only read these objects this run (${SYNC_OBJECTS.join(', ')})
  --watch        run again every SYNC_INTERVAL (default 10m) until stopped
  --interval     override SYNC_INTERVAL for --watch (e.g. 5m)
  --env-file     read this file instead of ./.env
  --writeback    write Boucle's results back into Salesforce instead (boucle sync --writeback --help)

Configuration: environment variables or .env (see .env.example and docs/sync.md).
Exit codes: 0 done, 2 bad configuration or usage, 3 authentication refused, 4 API budget exhausted, 1 other failure.`;

/** How often a waiting `sync --watch` (PostgreSQL) asks whether the running one has stopped. */
const WATCH_LOCK_RETRY_MS = 5_000;

export const EXIT = { ok: 0, failure: 1, config: 2, auth: 3, budget: 4 } as const;

/** Stops a `--watch` loop after the current run (SIGINT / SIGTERM, forwarded to the sync's thread). */
export interface StopSignal {
  onStop(listener: () => void): () => void;
}

/**
 * `boucle sync`: usage and configuration are checked here; the sync itself runs in a worker thread whose heap is
 * capped at SYNC_HEAP_MB, so its memory stays bounded (and an overrun is a clear error, not a crash).
 */
export async function run(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--writeback')) return (await import('./writeback-command.ts')).runSync(args, io);
  const prepared = prepare(args, io);
  if (typeof prepared === 'number') return prepared;
  return runInWorker(args, io, prepared.config.sync, prepared.values.watch === true);
}

interface Prepared {
  readonly values: { full?: boolean; 'dry-run'?: boolean; watch?: boolean };
  readonly objects: SyncObject[] | undefined;
  readonly intervalOverride: number | undefined;
  readonly config: ReturnType<typeof loadSyncConfig>;
}

const loadSyncConfig = (env: Readonly<Record<string, string | undefined>>) =>
  loadConfig(
    { salesforce: salesforceSection, zendesk: zendeskSection, sync: syncSection, store: storeSection },
    env,
  );

function prepare(args: readonly string[], io: CliIo): Prepared | number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: false,
      options: {
        full: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        objects: { type: 'string' },
        watch: { type: 'boolean' },
        interval: { type: 'string' },
        'env-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr.write(`boucle sync: ${(error as Error).message}\n\n${HELP}\n`);
    return EXIT.config;
  }
  const { values } = parsed;
  if (values.help === true) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  let objects: SyncObject[] | undefined;
  if (values.objects !== undefined) {
    const list = parsers.list(values.objects);
    const bad = list.filter((o) => !(SYNC_OBJECTS as readonly string[]).includes(o));
    if (bad.length > 0 || list.length === 0) {
      io.stderr.write(
        `boucle sync: --objects takes names among ${SYNC_OBJECTS.join(', ')} (got "${values.objects}").\n`,
      );
      return EXIT.config;
    }
    objects = list as SyncObject[];
  }
  let intervalOverride: number | undefined;
  if (values.interval !== undefined) {
    try {
      intervalOverride = parsers.duration(values.interval);
    } catch (error) {
      io.stderr.write(`boucle sync: --interval ${(error as Error).message} (got "${values.interval}").\n`);
      return EXIT.config;
    }
  }

  let config;
  try {
    config = loadSyncConfig(environmentWithDotEnv(io.env, values['env-file'] ?? join(io.cwd, '.env')));
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`boucle sync: ${error.message}\nSee .env.example and docs/sync.md.\n`);
      return EXIT.config;
    }
    io.stderr.write(`boucle sync: ${(error as Error).message}\n`);
    return EXIT.config;
  }
  return { values, objects, intervalOverride, config };
}

/** Runs the sync in this thread (the worker's side of `run`). */
export async function runHere(args: readonly string[], io: CliIo, stopSignal: StopSignal): Promise<number> {
  const prepared = prepare(args, io);
  if (typeof prepared === 'number') return prepared;
  const { values, objects, intervalOverride, config } = prepared;
  const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
  const progress: ProgressSink = tty ? terminalProgress(io.stdout) : jsonProgress(io.stdout);
  let store: OpenedSql;
  try {
    store = await openSql(config.store, io.cwd, [SYNC_SCHEMA], { max: 4 });
  } catch (error) {
    progress.error('configuration', (error as Error).message);
    return EXIT.config;
  }
  const salesforce = new SalesforceClient({
    settings: config.salesforce,
    onRetry: (what, attempt, error) =>
      progress.info('sync.retry', { side: 'salesforce', what, attempt, error: (error as Error).message }),
  });
  const zendesk = createZendeskSink(config.zendesk, (event, data) => progress.info(event, data));

  const once = async (): Promise<number> => {
    try {
      const report = await runSync(
        {
          sql: store.sql,
          salesforce,
          zendesk,
          settings: config.sync,
          floor: config.salesforce.minRemainingRequests,
          onProgress: (p) => progress.update(p),
        },
        {
          ...(values.full === true ? { full: true } : {}),
          ...(values['dry-run'] === true ? { dryRun: true } : {}),
          ...(objects === undefined ? {} : { objects }),
        },
      );
      progress.done(report);
      return EXIT.ok;
    } catch (error) {
      return reportFailure(error, progress);
    }
  };

  try {
    if (values.watch !== true) return await once();
    const interval = intervalOverride ?? config.sync.intervalMs;
    let stop = false;
    let wake: (() => void) | undefined;
    const stopListening = stopSignal.onStop(() => {
      stop = true;
      wake?.();
    });
    // A referenced timer: it is what keeps the process alive between runs; a stop clears it.
    const sleep = (ms: number): Promise<void> =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    // On PostgreSQL, several hosts may run `sync --watch` against one database: an advisory lock lets one of them
    // run cycles; the others wait and take over when it stops or dies (PostgreSQL frees a dead session's lock).
    const lock =
      config.store.databaseUrl === undefined
        ? undefined
        : new PeriodicJobLock(config.store.databaseUrl, 'sync --watch');
    const lockRetryMs = Math.min(interval, WATCH_LOCK_RETRY_MS);
    try {
      let waiting = false;
      for (;;) {
        if (lock !== undefined && !(await lock.acquire())) {
          if (!waiting)
            progress.info('sync.waiting', {
              reason: 'another sync --watch holds this database; taking over when it stops',
            });
          waiting = true;
          await sleep(lockRetryMs);
          if (stop) return EXIT.ok;
          continue;
        }
        if (waiting) progress.info('sync.took_over', {});
        waiting = false;
        const code = await once();
        if (code === EXIT.config || code === EXIT.auth) return code;
        if (stop) return code;
        progress.info('sync.sleep', { nextRunAt: new Date(Date.now() + interval).toISOString() });
        await sleep(interval);
        if (stop) return EXIT.ok;
      }
    } finally {
      stopListening();
      await lock?.close();
    }
  } finally {
    await store.close();
  }
}

/** The worker thread: output relayed to `io`, SIGINT / SIGTERM relayed in (with --watch), heap capped. */
async function runInWorker(
  args: readonly string[],
  io: CliIo,
  settings: SyncSettings,
  watch: boolean,
): Promise<number> {
  const out = io.stdout as { isTTY?: boolean };
  const worker = new Worker(new URL('./sync-worker.ts', import.meta.url), {
    workerData: {
      args: [...args],
      env: { ...io.env },
      cwd: io.cwd,
      tty: out.isTTY === true,
    } satisfies SyncWorkerData,
    resourceLimits: {
      maxOldGenerationSizeMb: settings.heapMb,
      maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
    },
    stdout: true,
    stderr: true,
  });
  let code: number = EXIT.failure;
  worker.on('message', (message: SyncWorkerMessage) => {
    if ('exit' in message) code = message.exit;
    else (message.stream === 'stdout' ? io.stdout : io.stderr).write(message.chunk);
  });
  worker.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk));
  worker.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk));
  const stop = (): void => worker.postMessage('stop');
  if (watch) {
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
  try {
    return await new Promise<number>((resolve) => {
      worker.once('error', (error: Error & { code?: string }) => {
        io.stderr.write(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `boucle sync: the sync needed more than SYNC_HEAP_MB=${settings.heapMb} MB of heap. What was done is saved and the next run resumes; raise SYNC_HEAP_MB or lower SYNC_BULK_PAGE_SIZE (now ${settings.bulkPageSize}) or SYNC_BATCH_SIZE (now ${settings.batchSize}).\n`
            : `boucle sync: ${error.stack ?? error.message}\n`,
        );
        code = EXIT.failure;
      });
      worker.once('exit', () => resolve(code));
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Young generation of the sync's thread: small, so short-lived rows are collected before they pile up. */
const YOUNG_GENERATION_MB = 12;

export interface SyncWorkerData {
  readonly args: string[];
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  readonly tty: boolean;
}

export type SyncWorkerMessage = { exit: number } | { stream: 'stdout' | 'stderr'; chunk: string };

function reportFailure(error: unknown, progress: ProgressSink): number {
  const message = (error as Error).message;
  if (error instanceof SyncMappingError || error instanceof ConfigError) {
    progress.error('configuration', message);
    return EXIT.config;
  }
  if (error instanceof SalesforceAuthError) {
    progress.error('authentication', message);
    return EXIT.auth;
  }
  if (error instanceof SyncBudgetError) {
    progress.error('budget', message);
    return EXIT.budget;
  }
  if (error instanceof ZendeskApiError && (error.code === 'AUTH_FAILED' || error.code === 'FORBIDDEN')) {
    progress.error('authentication', `Zendesk refused the credentials: ${message}`);
    return EXIT.auth;
  }
  progress.error('failure', message);
  return EXIT.failure;
}
