// npm run bench:webhooks — accept rate and latency of signed webhooks on loopback, then processing throughput
// against the Zendesk emulator. Prints figures; asserts nothing is lost.
// --burn[=N]: after each unloaded accept measurement, the same again while N CPU-burner processes (default one per
// core) spin, printing the loaded figures beside the unloaded ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { startPostgresCluster } from '../../scripts/postgres-cluster.ts';
import { DEFAULT_SETTINGS, createDecider } from '../../shared/src/index.ts';
import { startZendeskEmulator, ZENDESK_SANDBOX_CREDENTIALS } from '../../sandbox/zendesk/index.ts';
import { parseSurveyBody } from '../src/feedback/parse-survey-body.ts';
import { createLoopZendesk } from '../src/loop/create-loop-zendesk.ts';
import { provisionAutomation } from '../src/loop/provision-automation.ts';
import type { AutomationSettings } from '../src/config/automation.ts';
import { DurableQueue } from '../src/queue/durable-queue.ts';
import { PostgresQueue } from '../src/queue/postgres-queue.ts';
import { QUEUE_SCHEMA } from '../src/queue/queue-schema.ts';
import { openPostgresStore } from '../src/store/postgres.ts';
import { createAutomationServer } from '../src/serve/create-automation-server.ts';
import { ServiceMetrics } from '../src/serve/service-metrics.ts';
import { openAutomationStore, startAutomationService } from '../src/serve/start-automation-service.ts';
import { signZendeskWebhook } from '../src/serve/verify-zendesk-signature.ts';
import { ZendeskClient } from '../src/zendesk/index.ts';

const SECRET = 'bench-webhook-secret-0123456789';
const TOTAL = Number(process.env.BENCH_EVENTS ?? 6000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PROCESS_EVENTS = Number(process.env.BENCH_PROCESS_EVENTS ?? 300);

/** `--burn` / `--burn=N` (taken out of argv before parseArgs): burner processes during a second measurement. */
const BURN = ((): number => {
  const flag = process.argv.findIndex((arg) => /^--burn(=\d+)?$/.test(arg));
  if (flag === -1 || process.argv[2] === 'accept-server' || process.argv[2] === 'accept-server-pg') return 0;
  const [arg] = process.argv.splice(flag, 1);
  const n = arg!.includes('=') ? Number(arg!.split('=')[1]) : cpus().length;
  if (!(n >= 1)) throw new Error(`--burn=N takes a whole number of burner processes ≥ 1 (got ${arg})`);
  return n;
})();

/** Starts `n` processes that each keep one core busy; the returned function stops them. */
async function startBurners(n: number): Promise<() => Promise<void>> {
  const burners = Array.from({ length: n }, () =>
    spawn(process.execPath, ['-e', 'for (;;) Math.sqrt(Math.random());'], { stdio: 'ignore' }),
  );
  // Let them reach the scheduler before measuring.
  await new Promise((done) => setTimeout(done, 500));
  return async () => {
    await Promise.all(
      burners.map(
        (burner) =>
          new Promise((done) => {
            if (burner.exitCode !== null || burner.signalCode !== null) return done(undefined);
            burner.once('exit', done);
            burner.kill('SIGKILL');
          }),
      ),
    );
  };
}

/** The same kind of burst again, with the burners running; its figures and the load average at its end. */
async function loadedBurst(urls: string | readonly string[]): Promise<Loaded> {
  const stop = await startBurners(BURN);
  try {
    const { latencies, statuses, seconds } = await fire(
      urls,
      prepare(
        TOTAL,
        0,
        Array.from({ length: 200 }, (_, i) => i + 1),
        'loaded',
      ),
      CONCURRENCY,
    );
    const accepted = statuses.get(202) ?? 0;
    return {
      accepted,
      acceptedPerSecond: accepted / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      load: loadavg()[0]!,
    };
  } finally {
    await stop();
  }
}

function printLoaded(loaded: Loaded, unloaded: Figures): void {
  console.log(
    `  loaded (${BURN} burner(s), load average ${loaded.load.toFixed(1)})   ${loaded.acceptedPerSecond.toFixed(0)} accepted events/s   p50 ${loaded.p50.toFixed(2)} ms   p99 ${loaded.p99.toFixed(2)} ms (unloaded p99 ${unloaded.p99.toFixed(2)} ms, ×${(loaded.p99 / unloaded.p99).toFixed(1)})`,
  );
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Prepared {
  readonly body: string;
  readonly headers: Record<string, string>;
}

function prepare(count: number, offset: number, ticketIds: readonly number[], prefix: string): Prepared[] {
  return Array.from({ length: count }, (_, index) => {
    const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const body = JSON.stringify({
      event: 'ticket.updated',
      ticket_id: String(ticketIds[index % ticketIds.length]),
      n: offset + index,
    });
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-zendesk-webhook-invocation-id': `${prefix}-${offset + index}`,
        'x-zendesk-webhook-signature-timestamp': timestamp,
        'x-zendesk-webhook-signature': signZendeskWebhook(SECRET, timestamp, body),
      },
    };
  });
}

/** Sends every request with `concurrency` keep-alive connections; returns each latency (ms) and the statuses. */
async function fire(urls: string | readonly string[], requests: readonly Prepared[], concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const targets = (typeof urls === 'string' ? [urls] : urls).map((url) => new URL(`${url}/webhooks/zendesk`));
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  let lanes = 0;
  const worker = async () => {
    // Each connection sends to one process, spread evenly (a load balancer in front of N workers).
    const target = targets[lanes++ % targets.length]!;
    while (next < requests.length) {
      const item = requests[next++]!;
      const started = performance.now();
      const status = await new Promise<number>((done, fail) => {
        const req = request(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            headers: item.headers,
            agent,
          },
          (res) => {
            res.resume();
            res.on('end', () => done(res.statusCode ?? 0));
          },
        );
        req.on('error', fail);
        req.end(item.body);
      });
      latencies.push(performance.now() - started);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), statuses, seconds };
}

/** The accepting side, in its own process (as in production): prints its URL, then the stored count on SIGTERM. */
async function serveForBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'boucle-bench-'));
  const store = openAutomationStore(
    join(dir, 'boucle.sqlite'),
    process.argv[3] === 'normal' ? 'normal' : 'full',
  );
  const path = join(dir, 'boucle.sqlite');
  const synchronous = process.argv[3] === 'normal' ? 'NORMAL' : 'FULL';
  const queue = new DurableQueue(
    store.db,
    process.argv[4] === 'thread' ? { acceptThread: { path, synchronous } } : {},
  );
  const server = createAutomationServer({
    queue,
    metrics: new ServiceMetrics(),
    webhookSecret: SECRET,
    surveyToken: 'unused-survey-token-0123456789',
    parseSurveyBody,
    toleranceSeconds: 300,
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  // How long the event loop was held at a time: an fsync on the event loop shows here.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  process.once('SIGTERM', () => {
    loopDelay.disable();
    void queue.drainWrites().then(() => {
      const stored = (
        store.db
          .prepare(
            "SELECT COUNT(*) AS n FROM queue_events WHERE idempotency_key NOT LIKE 'webhook:invocation:warm-%'",
          )
          .get() as { n: number }
      ).n;
      process.stdout.write(`${stored}\n`);
      process.stdout.write(
        `${(loopDelay.percentile(99) / 1e6).toFixed(2)} ${(loopDelay.max / 1e6).toFixed(2)}\n`,
      );
      server.close();
      void queue.close().then(() => {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      });
    });
  });
}

async function benchAccept(sync: 'full' | 'normal', commit: 'thread' | 'inline'): Promise<Figures> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'accept-server', sync, commit], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  while (!out.includes('\n')) await new Promise((done) => setTimeout(done, 10));
  const url = out.split('\n')[0]!;
  await fire(url, prepare(500, 0, [1, 2, 3], 'warm'), CONCURRENCY);
  const requests = prepare(
    TOTAL,
    0,
    Array.from({ length: 200 }, (_, i) => i + 1),
    'bench',
  );
  const { latencies, statuses, seconds } = await fire(url, requests, CONCURRENCY);
  const loaded = BURN > 0 ? await loadedBurst(url) : undefined;
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  while (out.split('\n').length < 4) await new Promise((done) => setTimeout(done, 10));
  const stored = Number(out.split('\n')[1]);
  const [delayP99, delayMax] = out.split('\n')[2]!.split(' ');
  const accepted = statuses.get(202) ?? 0;
  const sent = TOTAL * (loaded === undefined ? 1 : 2);
  const acceptedAll = accepted + (loaded?.accepted ?? 0);
  console.log(
    `accept, SQLite, BOUCLE_QUEUE_SYNC=${sync}, BOUCLE_SQLITE_ACCEPT=${commit} (commit ${commit === 'thread' ? 'in a worker thread' : 'on the event loop'}; loopback, service in its own process, WAL, group commit, ${CONCURRENCY} keep-alive connections, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
  );
  console.log(`  events sent          ${sent}`);
  console.log(
    `  accepted (202)       ${acceptedAll}   stored ${stored}   lost ${acceptedAll - stored}   other statuses ${JSON.stringify(Object.fromEntries([...statuses].filter(([s]) => s !== 202)))}`,
  );
  console.log(
    `  sustained            ${(accepted / seconds).toFixed(0)} accepted events/s over ${seconds.toFixed(2)} s`,
  );
  console.log(
    `  accept latency       p50 ${percentile(latencies, 50).toFixed(2)} ms   p99 ${percentile(latencies, 99).toFixed(2)} ms   max ${latencies.at(-1)!.toFixed(2)} ms`,
  );
  console.log(`  event loop held      p99 ${delayP99} ms   max ${delayMax} ms (perf_hooks event-loop delay)`);
  const figures: Figures = {
    acceptedPerSecond: accepted / seconds,
    p99: percentile(latencies, 99),
    ...(loaded === undefined ? {} : { loaded }),
  };
  if (loaded !== undefined) printLoaded(loaded, figures);
  if (acceptedAll !== sent || stored !== acceptedAll) {
    console.log('  FAILED: events were lost or refused');
    process.exitCode = 1;
  }
  return figures;
}

function benchSettings(port: number, webhookSecret: string): AutomationSettings {
  return {
    host: '127.0.0.1',
    port,
    webhookSecret,
    surveyToken: 'bench-survey-token-0123456789abcdef',
    webhookToleranceSeconds: 300,
    workers: 4,
    maxAttempts: 8,
    retryBaseMs: 100,
    retryMaxMs: 2000,
    businessHours: null,
    reminderLeadMs: 7_200_000,
    followUpGroupId: undefined,
    settingsFile: undefined,
    csatPullIntervalMs: 0,
    deadlineScanIntervalMs: 0,
    queueSync: 'full',
  };
}

function sandboxClient(baseUrl: string): ZendeskClient {
  return new ZendeskClient({
    baseUrl,
    auth: {
      kind: 'apiToken',
      email: ZENDESK_SANDBOX_CREDENTIALS.email,
      token: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    },
  });
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

/** `boucle serve` with the queue on PostgreSQL, in its own process (one of N): prints its URL, stops on SIGTERM. */
async function processServerForBench(): Promise<void> {
  const config = JSON.parse(process.argv[3]!) as {
    port: number;
    secret: string;
    emulatorUrl: string;
    databaseUrl: string;
    sqlitePath: string;
  };
  const client = sandboxClient(config.emulatorUrl);
  const service = await startAutomationService({
    settings: benchSettings(config.port, config.secret),
    databasePath: config.sqlitePath,
    databaseUrl: config.databaseUrl,
    zendesk: createLoopZendesk(client),
    decider: createDecider(DEFAULT_SETTINGS),
    pollMs: 5,
  });
  process.stdout.write(`${service.url}\n`);
  process.once('SIGTERM', () => {
    process.stdout.write(`calls ${client.calls}\n`);
    void service.close().then(() => process.exit(0));
  });
}

async function startChild(
  args: readonly string[],
): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  while (!out.includes('\n')) {
    if (child.exitCode !== null) throw new Error(`bench child ${args[0]} exited ${child.exitCode}`);
    await new Promise((done) => setTimeout(done, 10));
  }
  return { child, url: out.split('\n')[0]!, out: () => out };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** `boucle serve`'s accept path on PostgreSQL: N processes, each a PostgresQueue, one database. */
async function acceptServerPgForBench(): Promise<void> {
  const store = await openPostgresStore(process.argv[3]!, [QUEUE_SCHEMA], { max: 4 });
  const queue = new PostgresQueue(store);
  const server = createAutomationServer({
    queue,
    metrics: new ServiceMetrics(),
    webhookSecret: SECRET,
    surveyToken: 'unused-survey-token-0123456789',
    parseSurveyBody,
    toleranceSeconds: 300,
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  process.once('SIGTERM', () => {
    server.close();
    void queue
      .drainWrites()
      .then(() => store.close())
      .then(() => process.exit(0));
  });
}

async function benchAcceptPostgres(databaseUrl: string, processes: number): Promise<Figures> {
  const children = [];
  for (let i = 0; i < processes; i++) children.push(await startChild(['accept-server-pg', databaseUrl]));
  const urls = children.map((c) => c.url);
  await fire(urls, prepare(500, 0, [1, 2, 3], 'warm'), CONCURRENCY);
  const requests = prepare(
    TOTAL,
    0,
    Array.from({ length: 200 }, (_, i) => i + 1),
    'bench',
  );
  const { latencies, statuses, seconds } = await fire(urls, requests, CONCURRENCY);
  const load = loadavg()[0]!;
  const loaded = BURN > 0 ? await loadedBurst(urls) : undefined;
  await Promise.all(children.map((c) => stopChild(c.child)));
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const stored = Number(
    (
      await pool.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM queue_events WHERE idempotency_key NOT LIKE 'webhook:invocation:warm-%'",
      )
    ).rows[0]!.n,
  );
  await pool.end();
  const accepted = statuses.get(202) ?? 0;
  const sent = TOTAL * (loaded === undefined ? 1 : 2);
  const acceptedAll = accepted + (loaded?.accepted ?? 0);
  console.log(
    `accept, PostgreSQL, ${processes} process(es) (loopback, fsync on, group commit, ${CONCURRENCY} keep-alive connections spread over them, load average ${load.toFixed(1)} on ${cpus().length} cores)`,
  );
  console.log(
    `  accepted (202)       ${acceptedAll}   stored ${stored}   lost ${acceptedAll - stored}   other statuses ${JSON.stringify(Object.fromEntries([...statuses].filter(([st]) => st !== 202)))}`,
  );
  console.log(
    `  sustained            ${(accepted / seconds).toFixed(0)} accepted events/s   p50 ${percentile(latencies, 50).toFixed(2)} ms   p99 ${percentile(latencies, 99).toFixed(2)} ms   max ${latencies.at(-1)!.toFixed(2)} ms`,
  );
  const figures: Figures = {
    acceptedPerSecond: accepted / seconds,
    p99: percentile(latencies, 99),
    ...(loaded === undefined ? {} : { loaded }),
  };
  if (loaded !== undefined) printLoaded(loaded, figures);
  if (acceptedAll !== sent || stored !== acceptedAll) {
    console.log('  FAILED: events were lost or refused');
    process.exitCode = 1;
  }
  return figures;
}

function processingRequests(open: readonly number[], secret: string): Prepared[] {
  return Array.from({ length: PROCESS_EVENTS }, (_, index) => {
    const timestamp = new Date().toISOString();
    const body = JSON.stringify({
      event: 'ticket.updated',
      ticket_id: String(open[index % open.length]),
      n: index,
    });
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-zendesk-webhook-invocation-id': `process-${index}`,
        'x-zendesk-webhook-signature-timestamp': timestamp,
        'x-zendesk-webhook-signature': signZendeskWebhook(secret, timestamp, body),
      },
    };
  });
}

/** Processing against the Zendesk emulator, with `processes` services sharing the queue on PostgreSQL. */
async function benchProcessingPostgres(databaseUrl: string, processes: number): Promise<number> {
  const emulator = await startZendeskEmulator({
    seed: 3,
    rateLimitPerMinute: 1_000_000,
    counts: { users: 40, organizations: 8, tickets: 60 },
  });
  const ports = await Promise.all(Array.from({ length: processes }, () => freePort()));
  const { signingSecret } = await provisionAutomation(
    sandboxClient(emulator.url),
    `http://127.0.0.1:${ports[0]}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'boucle-bench-'));
  const children = [];
  // One after the other: the SQLite file they share (ledger, write-back) is migrated by the first.
  for (const port of ports)
    children.push(
      await startChild([
        'process-server',
        JSON.stringify({
          port,
          secret: signingSecret,
          emulatorUrl: emulator.url,
          databaseUrl,
          sqlitePath: join(dir, 'boucle.sqlite'),
        }),
      ]),
    );
  const open = [...emulator.store.tickets.values()]
    .filter((t) => ['new', 'open', 'pending', 'hold'].includes(t.status))
    .map((t) => t.id);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const unfinished = async () =>
    Number(
      (
        await pool.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM queue_events WHERE status IN ('pending', 'processing')`,
        )
      ).rows[0]!.n,
    );
  const started = performance.now();
  await fire(
    children.map((c) => c.url),
    processingRequests(open, signingSecret),
    8,
  );
  for (let quiet = 0; quiet < 2;) {
    await emulator.settle();
    quiet = (await unfinished()) === 0 ? quiet + 1 : 0;
    await new Promise((done) => setTimeout(done, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const { rows } = await pool.query<{ status: string; n: string }>(
    'SELECT status, COUNT(*) AS n FROM queue_events GROUP BY 1',
  );
  const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  await pool.end();
  await Promise.all(children.map((c) => stopChild(c.child)));
  const calls = children.reduce((sum, c) => sum + Number(/calls (\d+)/.exec(c.out())?.[1] ?? 0), 0);
  const processed = counts.done ?? 0;
  console.log(
    `processing, PostgreSQL queue, ${processes} process(es) × 4 workers (emulator rate limit lifted)`,
  );
  console.log(
    `  processed            ${processed} events in ${seconds.toFixed(2)} s = ${(processed / seconds).toFixed(1)} events/s   dead ${counts.dead ?? 0}   Zendesk requests ${calls} (${(calls / Math.max(1, processed)).toFixed(1)} per event)`,
  );
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  return processed / seconds;
}

async function benchProcessing(): Promise<number> {
  const emulator = await startZendeskEmulator({
    seed: 3,
    rateLimitPerMinute: 1_000_000,
    counts: { users: 40, organizations: 8, tickets: 60 },
  });
  const client = new ZendeskClient({
    baseUrl: emulator.url,
    auth: {
      kind: 'apiToken',
      email: ZENDESK_SANDBOX_CREDENTIALS.email,
      token: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    },
  });
  const probe = createNetServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((done) => probe.close(() => done()));
  const { signingSecret } = await provisionAutomation(client, `http://127.0.0.1:${port}`);
  const dir = mkdtempSync(join(tmpdir(), 'boucle-bench-'));
  const service = await startAutomationService({
    settings: {
      host: '127.0.0.1',
      port,
      webhookSecret: signingSecret,
      surveyToken: 'bench-survey-token-0123456789abcdef',
      webhookToleranceSeconds: 300,
      workers: 4,
      maxAttempts: 8,
      retryBaseMs: 100,
      retryMaxMs: 2000,
      businessHours: null,
      reminderLeadMs: 7_200_000,
      followUpGroupId: undefined,
      settingsFile: undefined,
      csatPullIntervalMs: 0,
      deadlineScanIntervalMs: 0,
      queueSync: 'full',
    },
    databasePath: join(dir, 'boucle.sqlite'),
    zendesk: createLoopZendesk(client),
    decider: createDecider(DEFAULT_SETTINGS),
    pollMs: 5,
  });
  const open = [...emulator.store.tickets.values()]
    .filter((t) => ['new', 'open', 'pending', 'hold'].includes(t.status))
    .map((t) => t.id);
  const requests = Array.from({ length: PROCESS_EVENTS }, (_, index) => {
    const timestamp = new Date().toISOString();
    const body = JSON.stringify({
      event: 'ticket.updated',
      ticket_id: String(open[index % open.length]),
      n: index,
    });
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-zendesk-webhook-invocation-id': `process-${index}`,
        'x-zendesk-webhook-signature-timestamp': timestamp,
        'x-zendesk-webhook-signature': signZendeskWebhook(signingSecret, timestamp, body),
      },
    };
  });
  const started = performance.now();
  await fire(service.url, requests, 8);
  for (;;) {
    await emulator.settle();
    await service.workers.idle();
    if ((await service.queue.depth()) === 0) {
      await new Promise((done) => setTimeout(done, 50));
      await emulator.settle();
      if ((await service.queue.depth()) === 0) break;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const counts = await service.queue.countByStatus();
  const processed = counts.done;
  console.log(
    `processing against the Zendesk emulator (4 workers, emulator rate limit lifted; Zendesk plans allow 200–2500 requests/min)`,
  );
  console.log(
    `  webhook events sent  ${PROCESS_EVENTS} over ${open.length} open tickets (+ ${processed - PROCESS_EVENTS} echoes of Boucle's own updates)`,
  );
  console.log(
    `  processed            ${processed} events in ${seconds.toFixed(2)} s = ${(processed / seconds).toFixed(1)} events/s   dead ${counts.dead}   decisions applied ${(await service.ledger.all()).length}`,
  );
  console.log(`  Zendesk requests     ${client.calls} (${(client.calls / processed).toFixed(1)} per event)`);
  await service.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  return processed / seconds;
}

interface Figures {
  readonly acceptedPerSecond: number;
  readonly p99: number;
  /** With --burn: the same burst while the burners spin. */
  readonly loaded?: Loaded;
}

interface Loaded {
  readonly accepted: number;
  readonly acceptedPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** 1-minute load average at the end of the loaded burst. */
  readonly load: number;
}

if (process.argv[2] === 'accept-server') {
  await serveForBench();
} else if (process.argv[2] === 'accept-server-pg') {
  await acceptServerPgForBench();
} else if (process.argv[2] === 'process-server') {
  await processServerForBench();
} else {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '1,2,4' },
      db: { type: 'string', default: 'sqlite,postgres' },
    },
  });
  const dbs = values.db.split(/[,|]/).map((d) => d.trim());
  const workerCounts = values.workers.split(',').map(Number);
  const rows: [string, Figures, number | undefined][] = [];
  if (dbs.includes('sqlite')) {
    const inline = await benchAccept('full', 'inline');
    const thread = await benchAccept('full', 'thread');
    await benchAccept('normal', 'thread');
    const processed = await benchProcessing();
    rows.push(['SQLite, inline (event loop)', inline, undefined]);
    rows.push(['SQLite, thread (worker thread)', thread, processed]);
  }
  if (dbs.includes('postgres')) {
    const cluster = await startPostgresCluster();
    try {
      for (const n of workerCounts) {
        const fresh = async (name: string) => {
          const admin = new pg.Client({ connectionString: cluster.url });
          await admin.connect();
          await admin.query(`DROP DATABASE IF EXISTS ${name}`);
          await admin.query(`CREATE DATABASE ${name}`);
          await admin.end();
          const url = new URL(cluster.url);
          url.pathname = `/${name}`;
          return url.toString();
        };
        const accept = await benchAcceptPostgres(await fresh(`bench_accept_${n}`), n);
        const processed = await benchProcessingPostgres(await fresh(`bench_process_${n}`), n);
        rows.push([`PostgreSQL, ${n} process(es)`, accept, processed]);
      }
    } finally {
      cluster.destroy();
    }
  }
  console.log(
    `\nside by side (${TOTAL} accepted events${BURN > 0 ? ` per burst, loaded with ${BURN} burner(s)` : ''}, ${PROCESS_EVENTS} processed; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
  );
  const loadedHead =
    BURN > 0 ? ` ${'loaded acc/s'.padStart(12)} ${'loaded p99'.padStart(11)} ${'load'.padStart(5)}` : '';
  console.log(
    `  ${'store'.padEnd(36)} ${'accepted/s'.padStart(10)} ${'p99 accept'.padStart(11)}${loadedHead} ${'processed/s'.padStart(12)}`,
  );
  for (const [name, figures, processed] of rows) {
    const l = figures.loaded;
    const loadedCells =
      BURN > 0
        ? ` ${(l?.acceptedPerSecond.toFixed(0) ?? '—').padStart(12)} ${(l === undefined ? '—' : `${l.p99.toFixed(1)} ms`).padStart(11)} ${(l?.load.toFixed(1) ?? '—').padStart(5)}`
        : '';
    console.log(
      `  ${name.padEnd(36)} ${figures.acceptedPerSecond.toFixed(0).padStart(10)} ${`${figures.p99.toFixed(1)} ms`.padStart(11)}${loadedCells} ${(processed === undefined ? '—' : processed.toFixed(1)).padStart(12)}`,
    );
  }
}
