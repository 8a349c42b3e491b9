import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  createDecider,
  parseSettings,
  type Decider,
  type ExperimentSettings,
} from '../../../shared/src/index.ts';
import type { AutomationSettings } from '../config/automation.ts';
import { parseSurveyBody } from '../feedback/parse-survey-body.ts';
import { ALERTS_SCHEMA } from '../alerts/alerts-schema.ts';
import { EXPERIMENT_SCHEMA } from '../experiment/experiment-schema.ts';
import { ExperimentLedger } from '../experiment/experiment-ledger.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { createClosedLoop } from '../loop/closed-loop.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import { createProgrammeApi } from '../programme/programme-api.ts';
import { CONSOLE_SCHEMA } from '../programme/console-schema.ts';
import { PROGRAMME_SCHEMAS, ProgrammeStore, openProgrammeSql } from '../programme/programme-store.ts';
import type { LoopZendesk } from '../loop/loop-ports.ts';
import { DurableQueue, type EventQueue } from '../queue/durable-queue.ts';
import { PostgresQueue } from '../queue/postgres-queue.ts';
import { PeriodicJobLock } from '../store/job-lock.ts';
import { isDatabaseUnavailable, openPostgresStore, type PostgresStore } from '../store/postgres.ts';
import { postgresSql, sqliteSql, type Sql } from '../store/sql.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { startQueueWorkers, type QueueWorkers } from '../queue/queue-workers.ts';
import { openStore, type FeatureSchema, type Store } from '../store/index.ts';
import type { SalesforceSettings } from '../config/salesforce.ts';
import type { WritebackSettings } from '../config/writeback.ts';
import { SalesforceClient } from '../salesforce/client.ts';
import { Writeback, type WritebackSalesforce } from '../writeback/engine.ts';
import { WRITEBACK_SCHEMA } from '../writeback/schema.ts';
import { openLivePolicy, type LivePolicy } from '../policy/live-policy.ts';
import { POLICY_SCHEMA } from '../policy/policy-history.ts';
import type { ZendeskClient } from '../zendesk/index.ts';
import { createAutomationServer } from './create-automation-server.ts';
import { ServiceMetrics } from './service-metrics.ts';

export interface AutomationServiceOptions {
  readonly settings: AutomationSettings;
  readonly databasePath: string;
  /**
   * BOUCLE_DATABASE_URL: everything durable on this PostgreSQL server, shared by every `boucle serve` pointed at it
   * on any host: the queue (leases, lease expiry, periodic jobs on one worker at a time), the intervention ledger
   * and the loop's tables, the experiment's, the policy history, the write-back and the programme data. The
   * SQLite file at `databasePath` is then not opened (docs/scaling.md).
   */
  readonly databaseUrl?: string;
  readonly zendesk: LoopZendesk;
  /** The decider when the policy is not read from Zendesk (BOUCLE_SETTINGS_FILE or the defaults). */
  readonly decider?: Decider;
  /**
   * BOUCLE_ZENDESK_INSTALLATION_ID: the policy is read from this Boucle installation (an admin's client), at
   * start, every `pollIntervalMs` (0: only on POST /api/v1/policy/sync) and rebuilt without a restart.
   */
  readonly installationPolicy?: {
    readonly client: ZendeskClient;
    readonly installationId: number;
    readonly pollIntervalMs: number;
  };
  /** One line per notable event (start, dead letters); the CLI writes them to stderr. */
  readonly log?: (line: string) => void;
  /** Poll interval of idle workers (ms). */
  readonly pollMs?: number;
  /** Write-back to Salesforce (docs/salesforce-writeback.md): captured as events are handled, sent on a timer. */
  readonly writeback?: {
    readonly settings: WritebackSettings;
    readonly salesforce: SalesforceSettings;
    readonly client?: WritebackSalesforce;
  };
  /**
   * The experiment `GET /api/v1/experiment` reports; by default the one the decider draws its holdout from. The
   * sandbox passes its planted history's (a 30 % holdout already run) while its live decisions keep no holdout.
   */
  readonly reportedExperiment?: ExperimentSettings;
}

export interface RunningAutomationService {
  readonly url: string;
  /** The SQLite file; absent with BOUCLE_DATABASE_URL (nothing is kept in it then). */
  readonly store: Store | undefined;
  /** Where the ledger, the loop's tables and the experiment's are: the SQLite file or PostgreSQL. */
  readonly sql: Sql;
  readonly queue: EventQueue;
  /** Present when the queue is on PostgreSQL. */
  readonly postgres: PostgresStore | undefined;
  readonly ledger: InterventionLedger;
  readonly metrics: ServiceMetrics;
  readonly workers: QueueWorkers;
  /** Present when the policy is read from the Zendesk installation. */
  readonly policy: LivePolicy | undefined;
  close(): Promise<void>;
}

/** What `boucle serve` keeps on PostgreSQL with BOUCLE_DATABASE_URL: every table it reads or writes. */
export const SERVE_POSTGRES_SCHEMAS: readonly FeatureSchema[] = [
  ...new Map(
    [
      QUEUE_SCHEMA,
      AUTOMATION_SCHEMA,
      WRITEBACK_SCHEMA,
      EXPERIMENT_SCHEMA,
      POLICY_SCHEMA,
      ...PROGRAMME_SCHEMAS,
      CONSOLE_SCHEMA,
      ALERTS_SCHEMA,
    ].map((schema) => [schema.feature, schema]),
  ).values(),
];

/** Opens the database the queue and the loop share, with the queue's durability (default: fsync on every commit). */
export function openAutomationStore(path: string, sync: 'full' | 'normal' = 'full'): Store {
  const store = openStore(path, [
    QUEUE_SCHEMA,
    AUTOMATION_SCHEMA,
    WRITEBACK_SCHEMA,
    EXPERIMENT_SCHEMA,
    POLICY_SCHEMA,
  ]);
  store.db.exec(sync === 'full' ? 'PRAGMA synchronous = FULL' : 'PRAGMA synchronous = NORMAL');
  return store;
}

/** Reads the decision settings file (or the defaults) and compiles the decision once. */
export function loadDecider(settingsFile: string | undefined): Decider {
  let raw: unknown = undefined;
  if (settingsFile !== undefined) {
    try {
      raw = JSON.parse(readFileSync(settingsFile, 'utf8')) as unknown;
    } catch (error) {
      throw new Error(`BOUCLE_SETTINGS_FILE ${settingsFile}: ${(error as Error).message}`, { cause: error });
    }
  }
  const parsed = parseSettings(raw);
  if (!parsed.success) {
    const lines = parsed.issues.map((issue) => `  ${issue.path || '(settings)'}: ${issue.message.en}`);
    throw new Error(`Bad decision settings in ${settingsFile ?? '(defaults)'}:\n${lines.join('\n')}`);
  }
  return createDecider(parsed.data);
}

/** `boucle serve`: the queue, its workers, the closed loop, the HTTP face and the follow-up timers. */
export async function startAutomationService(
  options: AutomationServiceOptions,
): Promise<RunningAutomationService> {
  const { settings } = options;
  const log = options.log ?? (() => undefined);
  const retry = {
    maxAttempts: settings.maxAttempts,
    baseDelayMs: settings.retryBaseMs,
    maxDelayMs: settings.retryMaxMs,
  };
  // Fails first, with a message saying what to fix, when the server cannot be used.
  const postgres =
    options.databaseUrl === undefined
      ? undefined
      : await openPostgresStore(options.databaseUrl, SERVE_POSTGRES_SCHEMAS, {
          connectTimeoutMs: 3000,
          onIdleError: (error) => log(`PostgreSQL connection lost (${error.message}); reconnecting`),
        });
  const store =
    postgres === undefined ? openAutomationStore(options.databasePath, settings.queueSync) : undefined;
  const sql: Sql = postgres === undefined ? sqliteSql(store!) : postgresSql(postgres);
  let policy: LivePolicy | undefined;
  if (options.installationPolicy !== undefined) {
    try {
      policy = await openLivePolicy({
        client: options.installationPolicy.client,
        installationId: options.installationPolicy.installationId,
        sql,
        log,
      });
    } catch (error) {
      store?.close();
      await postgres?.close();
      throw error;
    }
    policy.poll(options.installationPolicy.pollIntervalMs);
  }
  const decider = policy?.decider ?? options.decider ?? loadDecider(undefined);
  let queue: EventQueue;
  let sqliteQueue: DurableQueue | undefined;
  if (store !== undefined) {
    // BOUCLE_SQLITE_ACCEPT=thread (default): accepted events are committed (and fsynced) by a worker thread, the
    // event loop never waits for the disk; inline: on the event loop (docs/scaling.md says when to choose which).
    const accept = options.databasePath === ':memory:' ? 'inline' : (settings.sqliteAccept ?? 'thread');
    log(
      accept === 'thread'
        ? 'SQLite queue: accepted events committed in a worker thread (BOUCLE_SQLITE_ACCEPT=thread)'
        : 'SQLite queue: accepted events committed on the event loop (BOUCLE_SQLITE_ACCEPT=inline)',
    );
    sqliteQueue = new DurableQueue(store.db, {
      retry,
      ...(accept === 'inline'
        ? {}
        : {
            acceptThread: {
              path: options.databasePath,
              synchronous: settings.queueSync === 'full' ? 'FULL' : 'NORMAL',
            },
          }),
    });
    // SQLite: this process alone owns the queue, so leases left by a previous run are void.
    const released = sqliteQueue.releaseAllLeases();
    if (released > 0) log(`released ${released} event(s) left in progress by a previous run`);
    queue = sqliteQueue;
  } else {
    // PostgreSQL: other workers hold live leases; a dead worker's run out and are taken over.
    queue = new PostgresQueue(postgres!, { retry });
  }
  const ledger = new InterventionLedger(sql);
  const metrics = new ServiceMetrics();
  const wb = options.writeback;
  // The write-back's outbox is beside the ledger: PostgreSQL with BOUCLE_DATABASE_URL, else the SQLite file.
  const writeback = wb === undefined ? undefined : new Writeback(sql, wb.settings, ledger);
  const loop = createClosedLoop({
    zendesk: options.zendesk,
    ledger,
    decider,
    ...(policy === undefined ? {} : { policyVersion: policy.version }),
    locale: decider.settings.locale,
    businessHours: settings.businessHours,
    reminderLeadMs: settings.reminderLeadMs,
    ...(settings.followUpGroupId === undefined ? {} : { followUpGroupId: settings.followUpGroupId }),
    observeDecision: (seconds) => metrics.observeDecisionLatency(seconds),
    ...(writeback === undefined ? {} : { writeback }),
    experiment: new ExperimentLedger(sql),
    ...(settings.surveyFatigueDays === undefined ? {} : { surveyFatigueDays: settings.surveyFatigueDays }),
  });
  const workers = startQueueWorkers({
    queue,
    handle: (event) => loop.handle(event),
    concurrency: settings.workers,
    ...(settings.leaseMs === undefined ? {} : { leaseMs: settings.leaseMs }),
    pollMs: options.pollMs ?? 250,
    // PostgreSQL restarting: an outcome that could not be recorded is recorded once the server is back.
    ...(postgres === undefined ? {} : { isUnavailable: isDatabaseUnavailable }),
    events: {
      processed: (event) => metrics.increment('events_processed_total', { kind: event.kind }),
      retried: (event) => metrics.increment('events_retried_total', { kind: event.kind }),
      unavailable: (error) =>
        log(`queue unavailable, retrying: ${error instanceof Error ? error.message : String(error)}`),
      deadLettered: (event, error) => {
        metrics.increment('events_dead_lettered_total', { kind: event.kind });
        log(
          `event ${event.id} (${event.kind}) dead-lettered: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    },
  });
  // The programme's data and the console's tables (acknowledged signs, callbacks done): on PostgreSQL with
  // BOUCLE_DATABASE_URL (the same pool), else on their own SQLite connection (WAL: readers never block the
  // queue's writes).
  const programmeData =
    postgres === undefined
      ? await openProgrammeSql({ path: options.databasePath }, [
          ...PROGRAMME_SCHEMAS,
          CONSOLE_SCHEMA,
          ALERTS_SCHEMA,
        ])
      : { sql, close: () => Promise.resolve() };
  const server = createAutomationServer({
    queue,
    metrics,
    webhookSecret: settings.webhookSecret,
    surveyToken: settings.surveyToken,
    parseSurveyBody,
    toleranceSeconds: settings.webhookToleranceSeconds,
    onAccepted: () => workers.wake(),
    health: () => ({ workers: settings.workers }),
    // The facts follow pulls and syncs in steps between requests (docs/programme.md, "Speed and memory").
    api: createProgrammeApi({
      store: new ProgrammeStore(programmeData.sql, {
        background: true,
        onError: (error) =>
          log(`programme facts refresh failed: ${error instanceof Error ? error.message : String(error)}`),
      }),
      token: settings.surveyToken,
      // The experiment's arms beside the ledger and the programme's data (one database).
      experiment: {
        sql: programmeData.sql,
        settings: options.reportedExperiment ?? decider.settings.experiment,
      },
      console: {
        sql: programmeData.sql,
        capacityMinutes: decider.settings.capacity.agentMinutesPerDay,
      },
      policy: { sql, decider, ...(policy === undefined ? {} : { live: policy }) },
    }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const timers: NodeJS.Timeout[] = [];
  const locks: PeriodicJobLock[] = [];
  // With PostgreSQL, each periodic job runs on one worker at a time: the one holding its advisory lock.
  const every = (ms: number, what: string, task: () => Promise<number>) => {
    if (ms <= 0) return;
    const lock =
      options.databaseUrl === undefined ? undefined : new PeriodicJobLock(options.databaseUrl, what);
    if (lock !== undefined) locks.push(lock);
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      (lock === undefined ? Promise.resolve(true) : lock.acquire())
        .then((mine) => (mine ? task() : 0))
        .then((queued) => {
          if (queued > 0) workers.wake();
        })
        .catch((error: unknown) =>
          log(`${what} failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => (running = false));
    };
    timers.push(setInterval(tick, ms));
  };
  every(settings.deadlineScanIntervalMs, 'deadline scan', () => loop.scheduleReminders(queue, new Date()));
  every(settings.csatPullIntervalMs, 'CSAT pull', () => loop.pullSatisfactionRatings(queue, new Date()));
  if (writeback !== undefined && wb !== undefined) {
    const salesforce = wb.client ?? new SalesforceClient({ settings: wb.salesforce });
    every(wb.settings.intervalMs, 'Salesforce write-back', async () => {
      const result = await writeback.flush(salesforce, {
        mode: 'collections',
        floor: wb.salesforce.minRemainingRequests,
      });
      if (result.outcome === 'paused') log(`Salesforce write-back paused until ${result.pausedUntil ?? '?'}`);
      if (result.written > 0)
        log(
          `Salesforce write-back: ${result.written} record(s) written (${Object.entries(result.byObject)
            .map(([object, n]) => `${object} ${n}`)
            .join(', ')}); see boucle report writeback`,
        );
      return 0;
    });
  }

  return {
    url,
    store,
    sql,
    queue,
    postgres,
    ledger,
    metrics,
    workers,
    policy,
    async close() {
      policy?.close();
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.drainWrites();
      await workers.stop();
      await sqliteQueue?.close();
      await programmeData.close();
      store?.close();
      await Promise.all(locks.map((lock) => lock.close()));
      await postgres?.close();
    },
  };
}
