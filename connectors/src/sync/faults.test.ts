import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.ts';
import { SyncBudgetError } from './engine.ts';
import { startHarness, type Harness } from './test-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const dataset = { accounts: 5, perAccount: 2 };

function expectComplete(harness: Harness): void {
  const state = harness.openState();
  const accounts = (state.db.prepare('SELECT COUNT(*) AS n FROM sync_account').get() as { n: number }).n;
  const written = (
    state.db.prepare("SELECT COUNT(*) AS n FROM sync_written WHERE kind = 'organization'").get() as {
      n: number;
    }
  ).n;
  const pending = (state.db.prepare('SELECT COUNT(*) AS n FROM sync_outbox').get() as { n: number }).n;
  state.close();
  expect(accounts).toBe(dataset.accounts);
  expect(written).toBe(accounts);
  expect(pending).toBe(0);
  expect(harness.zd.store.organizations.size).toBe(accounts);
}

describe('sync under injected faults', () => {
  it('refreshes the token once on 401 INVALID_SESSION_ID and carries on', async () => {
    h = await startHarness(dataset);
    h.sf.injectFault({ kind: 'invalidSession', path: '/jobs/query', times: 1, after: 1 });
    await h.sync();
    expectComplete(h);
    expect(h.sf.callCounts()['oauth.token']).toBe(2);
  });

  it('rides out 429 and 503 bursts on both sides, honouring Retry-After', async () => {
    h = await startHarness(dataset);
    h.sf.injectFault({ kind: 'status', status: 503, path: '/jobs/query', method: 'POST', times: 2 });
    h.sf.injectFault({ kind: 'status', status: 429, path: '/results', times: 2 });
    h.zd.injectFault({ kind: 'status', status: 429, retryAfter: 1, path: 'create_many', times: 1 });
    h.zd.injectFault({ kind: 'status', status: 503, path: '/job_statuses/', times: 2 });
    const started = Date.now();
    await h.sync();
    expectComplete(h);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // the Retry-After second was waited for
    const faulted = h.sf.requests().filter((r) => r.fault !== null).length;
    expect(faulted).toBe(4);
  });

  it('retries a slow response after its timeout and a reset connection', async () => {
    h = await startHarness(dataset);
    await h.sync();
    h.sf.update('Account', [...h.zd.store.organizations.values()][0]!.external_id!, { Industry: 'Banking' });
    h.sf.injectFault({ kind: 'delay', delayMs: 3000, path: '/query', times: 1 });
    h.sf.injectFault({ kind: 'reset', path: '/limits', times: 1 });
    h.zd.injectFault({ kind: 'reset', path: 'update_many', times: 1 });
    h.takeWrites();
    const report = await h.sync({}, { requestTimeoutMs: 400 });
    expect(report.changed.Account).toBe(1);
    expect(report.written.organization).toBe(1);
  });

  it('stops on REQUEST_LIMIT_EXCEEDED without retrying and pauses the org', async () => {
    h = await startHarness(dataset);
    await h.sync();
    h.sf.resetRequestLog();
    h.sf.injectFault({ kind: 'limitExceeded', path: '/query', times: 1 });
    await expect(h.sync()).rejects.toThrow(SyncBudgetError);
    expect(h.sf.callCounts().query).toBe(1);
    await expect(h.sync()).rejects.toThrow(/paused until/);
    expect(h.sf.callCounts().query).toBe(1);
  });

  it('stops at the remaining-requests floor before reading', async () => {
    h = await startHarness(dataset);
    const { max } = h.sf.apiUsage();
    h.sf.setApiUsage(max - 10);
    await expect(h.sync()).rejects.toThrow(/floor reached/);
    expect(h.zd.store.organizations.size).toBe(0);
  });
});

describe('boucle sync (command)', () => {
  function io(env: Record<string, string>): {
    io: Parameters<typeof runCli>[1];
    out: () => string;
    err: () => string;
  } {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    return {
      io: { stdin: new PassThrough(), stdout, stderr, env, cwd: '/nonexistent-boucle-test-dir' },
      out: () => out,
      err: () => err,
    };
  }

  it('lists every bad key and exits 2', async () => {
    const cli = io({ SALESFORCE_AUTH: 'magic', SYNC_INTERVAL: 'often', ZENDESK_URL: 'nope' });
    expect(await runCli(['sync'], cli.io)).toBe(2);
    for (const key of [
      'SALESFORCE_LOGIN_URL',
      'SALESFORCE_AUTH',
      'SALESFORCE_CLIENT_ID',
      'ZENDESK_URL',
      'ZENDESK_EMAIL',
      'ZENDESK_API_TOKEN',
      'SYNC_INTERVAL',
    ])
      expect(cli.err()).toContain(key);
  });

  // Two CLI runs, each with its own sync worker thread: seconds on a loaded machine.
  it(
    'exits 3 when Salesforce refuses the credentials, and syncs with JSON logs otherwise',
    { timeout: 30_000 },
    async () => {
      h = await startHarness(dataset);
      const bad = io({ ...h.env, SALESFORCE_CLIENT_SECRET: 'wrong' });
      expect(await runCli(['sync'], bad.io)).toBe(3);
      expect(bad.out()).toContain('"kind":"authentication"');

      const good = io(h.env);
      expect(await runCli(['sync', '--objects', 'Account'], good.io)).toBe(0);
      const done = good
        .out()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string; written?: { organization: number } })
        .find((e) => e.event === 'sync.done');
      expect(done?.written?.organization).toBe(dataset.accounts);
    },
  );
});
