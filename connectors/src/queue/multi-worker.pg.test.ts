import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { signZendeskWebhook } from '../serve/verify-zendesk-signature.ts';
import { freshPostgresDatabase, startPostgres, stopPostgres } from '../store/testing-postgres.ts';

// Several worker processes (connectors/src/queue/testing/pg-worker-process.ts) share one real PostgreSQL database.
const SECRET = 'multi-worker-test-secret-0123456789';
const SCRIPT = join(import.meta.dirname, 'testing', 'pg-worker-process.ts');

interface Worker {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** What it wrote to stderr (shown when a test fails). */
  stderr(): string;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startWorker(databaseUrl: string, name: string): Promise<Worker> {
  const child = spawn(process.execPath, [SCRIPT], {
    env: {
      ...process.env,
      BOUCLE_DATABASE_URL: databaseUrl,
      WORKER_NAME: name,
      LEASE_MS: '1500',
      HANDLE_MS: '15',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /ready (\S+)\n/.exec(out);
      if (ready) resolve(ready[1]!);
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}): ${err}`)));
  });
  return { name, url, child, stderr: () => err };
}

interface Sent {
  readonly key: string;
  readonly statuses: number[];
  readonly retryAfter: (string | undefined)[];
}

/** Zendesk's side: sends each signed webhook to one of the workers, and again (elsewhere) until it is taken. */
async function deliver(
  targets: () => readonly Worker[],
  events: readonly { ticket: number; seq: number }[],
  concurrency: number,
): Promise<Sent[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const sent: Sent[] = [];
  let next = 0;
  const post = (url: string, body: string, invocation: string) =>
    new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
      const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const target = new URL(`${url}/webhooks/zendesk`);
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'x-zendesk-webhook-invocation-id': invocation,
            'x-zendesk-webhook-signature-timestamp': timestamp,
            'x-zendesk-webhook-signature': signZendeskWebhook(SECRET, timestamp, body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: res.headers['retry-after'],
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const lane = async (): Promise<void> => {
    while (next < events.length) {
      const index = next++;
      const { ticket, seq } = events[index]!;
      const invocation = `t${ticket}-s${seq}`;
      const body = JSON.stringify({ event: 'ticket.updated', ticket_id: String(ticket), n: seq });
      const record: Sent = { key: `webhook:invocation:${invocation}`, statuses: [], retryAfter: [] };
      sent.push(record);
      for (let attempt = 0; ; attempt++) {
        const live = targets();
        const worker = live[(index + attempt) % live.length]!;
        try {
          const { status, retryAfter } = await post(worker.url, body, invocation);
          record.statuses.push(status);
          record.retryAfter.push(retryAfter);
          if (status === 202 || status === 200) break;
        } catch {
          record.statuses.push(0); // connection refused or reset: that worker is gone
          record.retryAfter.push(undefined);
        }
        if (attempt > 400)
          throw new Error(
            `${invocation} was never accepted: ${record.statuses.slice(-5).join(',')}; workers: ${targets()
              .map((w) => `${w.name} exit ${w.child.exitCode} ${w.stderr().slice(-800)}`)
              .join(' | ')}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50)); // Zendesk waits Retry-After; tests, less
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  agent.destroy();
  return sent;
}

function burst(tickets: number, perTicket: number): { ticket: number; seq: number }[] {
  const events: { ticket: number; seq: number }[] = [];
  for (let seq = 1; seq <= perTicket; seq++)
    for (let ticket = 1; ticket <= tickets; ticket++) events.push({ ticket, seq });
  return events;
}

async function withDatabase(url: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  await pool.query(`CREATE TABLE test_effects (n BIGSERIAL PRIMARY KEY, idempotency_key TEXT NOT NULL,
    group_key TEXT, seq INTEGER, worker TEXT NOT NULL)`);
  await pool.query('CREATE TABLE test_ticks (n BIGSERIAL PRIMARY KEY, worker TEXT NOT NULL)');
  return pool;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const count = async (pool: pg.Pool, sql: string): Promise<number> =>
  Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);

/** Every accepted event has exactly one effect, and each ticket's effects follow the order its events were queued. */
async function expectEachOnceInOrder(pool: pg.Pool, expected: number): Promise<void> {
  expect(await count(pool, 'SELECT COUNT(*) AS n FROM test_effects')).toBe(expected);
  expect(await count(pool, 'SELECT COUNT(DISTINCT idempotency_key) AS n FROM test_effects')).toBe(expected);
  expect(await count(pool, `SELECT COUNT(*) AS n FROM queue_events WHERE status = 'done'`)).toBe(expected);
  const { rows } = await pool.query<{ group_key: string; by_effect: string[]; by_queue: string[] }>(`
    SELECT e.group_key,
           array_agg(e.idempotency_key ORDER BY e.n) AS by_effect,
           array_agg(e.idempotency_key ORDER BY q.id) AS by_queue
    FROM test_effects e JOIN queue_events q USING (idempotency_key)
    GROUP BY e.group_key`);
  expect(rows.length).toBeGreaterThan(1);
  for (const row of rows) expect(row.by_effect, row.group_key).toEqual(row.by_queue);
}

describe('several worker processes on one PostgreSQL database', () => {
  it('kill -9 of one worker mid-burst: nothing lost, nothing applied twice, the others finish its work', async () => {
    const url = await freshPostgresDatabase();
    const pool = await withDatabase(url);
    const workers = await Promise.all(['w1', 'w2', 'w3'].map((name) => startWorker(url, name)));
    // The periodic job's lock holder is the one to kill.
    await until('a tick', async () => (await count(pool, 'SELECT COUNT(*) AS n FROM test_ticks')) > 0);
    const leader = (await pool.query<{ worker: string }>('SELECT worker FROM test_ticks ORDER BY n LIMIT 1'))
      .rows[0]!.worker;
    const victim = workers.find((w) => w.name === leader)!;
    let live: readonly Worker[] = workers;
    const events = burst(20, 15);
    const delivery = deliver(() => live, events, 8);
    await until(
      'a third of the effects',
      async () => (await count(pool, 'SELECT COUNT(*) AS n FROM test_effects')) >= 100,
    );
    victim.child.kill('SIGKILL');
    live = workers.filter((w) => w !== victim);
    const sent = await delivery;
    expect(sent).toHaveLength(events.length);
    await until(
      'every effect',
      async () => (await count(pool, `SELECT COUNT(*) AS n FROM queue_events WHERE status <> 'done'`)) === 0,
    );
    await expectEachOnceInOrder(pool, events.length);
    // The victim had been working, and others took over the events it held when it died.
    const byWorker = new Map(
      (
        await pool.query<{ worker: string; n: string }>(
          'SELECT worker, COUNT(*) AS n FROM test_effects GROUP BY 1',
        )
      ).rows.map((r) => [r.worker, Number(r.n)]),
    );
    expect(byWorker.get(victim.name)).toBeGreaterThan(0);
    for (const other of live) expect(byWorker.get(other.name)).toBeGreaterThan(0);
    const takenOver = await count(
      pool,
      `SELECT COUNT(*) AS n FROM queue_events q JOIN test_effects e USING (idempotency_key)
       WHERE q.attempts > 1 AND e.worker <> '${victim.name}'`,
    );
    expect(takenOver).toBeGreaterThan(0);
    // The periodic job ran on one worker at a time, and moved once, off the dead one.
    await until('the job to move', async () => {
      const { rows } = await pool.query<{ worker: string }>(
        'SELECT worker FROM test_ticks ORDER BY n DESC LIMIT 1',
      );
      return rows[0]?.worker !== victim.name;
    });
    const ticks = (await pool.query<{ worker: string }>('SELECT worker FROM test_ticks ORDER BY n')).rows.map(
      (r) => r.worker,
    );
    const switches = ticks.filter((worker, index) => index > 0 && worker !== ticks[index - 1]).length;
    expect(switches).toBe(1);
    await pool.end();
  });

  it('PostgreSQL restarted mid-burst: 503 + Retry-After while it is down, nothing lost, workers reconnect', async () => {
    const url = await freshPostgresDatabase();
    const pool = await withDatabase(url);
    const workers = await Promise.all(['r1', 'r2'].map((name) => startWorker(url, name)));
    const events = burst(10, 20);
    // The first half is under way when the server stops; the second half is sent while it is down, so some
    // webhooks must meet the outage however fast the first half was accepted.
    const half = events.length / 2;
    const first = deliver(() => workers, events.slice(0, half), 6);
    await until(
      'some effects',
      async () => (await count(pool, 'SELECT COUNT(*) AS n FROM test_effects')) >= 40,
    );
    stopPostgres();
    const second = deliver(() => workers, events.slice(half), 6);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    startPostgres();
    const sent = [...(await first), ...(await second)];
    await until(
      'every effect',
      async () => (await count(pool, `SELECT COUNT(*) AS n FROM queue_events WHERE status <> 'done'`)) === 0,
    );
    await expectEachOnceInOrder(pool, events.length);
    const refused = sent.flatMap((s) =>
      s.statuses.map((status, i) => ({ status, retryAfter: s.retryAfter[i] })),
    );
    const unavailable = refused.filter((r) => r.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(new Set(unavailable.map((r) => r.retryAfter))).toEqual(new Set(['5']));
    expect(refused.filter((r) => ![200, 202, 503].includes(r.status))).toEqual([]);
    // The same processes went on: they reconnected by themselves.
    for (const worker of workers) expect(worker.child.exitCode).toBeNull();
    await pool.end();
  });
});
