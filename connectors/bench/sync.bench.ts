/**
 * npm run bench:sync [-- --accounts 100000 --per-account 10]
 *
 * Syncs a generated org (default 100k accounts, 10 contacts, 10 opportunities and 10 orders each: 1M contacts,
 * 2M opportunities/orders) from the Salesforce emulator to the Zendesk emulator, both in a child process, with
 * `boucle sync` in another child process, and prints: wall time, calls against the minimum, peak RSS of the
 * sync process at 10% and 100% of the volume, Zendesk writes on a no-change resync, and the calls of an
 * incremental run after 1% of the records changed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SALESFORCE_SANDBOX_CREDENTIALS as SF } from '../../sandbox/salesforce/index.ts';
import { ZENDESK_SANDBOX_CREDENTIALS as ZD } from '../../sandbox/zendesk/index.ts';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    'per-account': { type: 'string', default: '10' },
    'skip-small': { type: 'boolean', default: false },
    /** Caps the sync process's V8 heap (MB), to show the work fits in it; default: Node's own limit. */
    heap: { type: 'string' },
  },
});
const ACCOUNTS = Number(values.accounts);
const PER = Number(values['per-account']);
const root = join(import.meta.dirname, '..', '..');

interface Emulators {
  child: ChildProcessWithoutNullStreams;
  ask: (command: Record<string, unknown>) => Promise<Record<string, unknown>>;
  ready: Record<string, unknown>;
}

async function startEmulators(accounts: number): Promise<Emulators> {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=16000',
      join(root, 'connectors/bench/sync-emulators.ts'),
      String(accounts),
      String(PER),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (!text.includes('ExperimentalWarning')) process.stderr.write(`[emulators] ${text}`);
  });
  const lines = createInterface({ input: child.stdout });
  const queue: ((line: string) => void)[] = [];
  lines.on('line', (line) => queue.shift()?.(line));
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve) => queue.push((line) => resolve(JSON.parse(line) as Record<string, unknown>)));
  const ready = await next();
  return {
    child,
    ready,
    ask: (command) => {
      const answer = next();
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return answer;
    },
  };
}

interface SyncRun {
  code: number;
  wallMs: number;
  maxRssMb: number;
  report: Record<string, unknown> | undefined;
}

async function runSync(emulators: Emulators, dbPath: string, args: string[] = []): Promise<SyncRun> {
  const rssFile = `${dbPath}.rss.json`;
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      ...(values.heap === undefined ? [] : [`--max-old-space-size=${values.heap}`]),
      '--import',
      join(root, 'connectors/bench/rss-hook.mjs'),
      join(root, 'bin/boucle.mjs'),
      'sync',
      ...args,
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        BENCH_RSS_FILE: rssFile,
        BOUCLE_DB_PATH: dbPath,
        SALESFORCE_LOGIN_URL: String(emulators.ready.salesforceUrl),
        SALESFORCE_AUTH: 'client_credentials',
        SALESFORCE_CLIENT_ID: SF.clientId,
        SALESFORCE_CLIENT_SECRET: SF.clientSecret,
        SALESFORCE_MIN_REMAINING_REQUESTS: '1%',
        ZENDESK_URL: String(emulators.ready.zendeskUrl),
        ZENDESK_EMAIL: ZD.email,
        ZENDESK_API_TOKEN: ZD.apiToken,
        ZENDESK_REQUESTS_PER_MINUTE: '100000',
        SYNC_ZENDESK_CONCURRENCY: '8',
        ...(process.env.SYNC_BULK_PAGE_SIZE === undefined
          ? {}
          : { SYNC_BULK_PAGE_SIZE: process.env.SYNC_BULK_PAGE_SIZE }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let report: Record<string, unknown> | undefined;
  let errors = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      if (event.event === 'sync.done') report = event;
      if (event.event === 'sync.error') errors += `${line}\n`;
    } catch {
      errors += `${line}\n`;
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (!text.includes('ExperimentalWarning') && !text.includes('--trace-warnings')) errors += text;
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`sync exited ${code}:\n${errors}`);
  const rss = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKb: number };
  return { code, wallMs: Date.now() - started, maxRssMb: Math.round(rss.maxRssKb / 1024), report };
}

const ceil100 = (n: number): number => Math.ceil(n / 100);
const fmt = (n: number): string => n.toLocaleString('en-US');

async function scenario(accounts: number, full: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'boucle-bench-'));
  const db = join(dir, 'boucle.sqlite');
  const emulators = await startEmulators(accounts);
  const records = emulators.ready.records as Record<string, number>;
  console.log(
    `\n== ${fmt(accounts)} accounts: ${Object.entries(records)
      .map(([k, v]) => `${fmt(v)} ${k}`)
      .join(', ')} (generated in ${fmt(Number(emulators.ready.generateMs))} ms)`,
  );
  try {
    const first = await runSync(emulators, db);
    const c1 = await emulators.ask({ cmd: 'counts' });
    const written = (first.report?.written ?? { organization: 0, user: 0 }) as {
      organization: number;
      user: number;
    };
    const zdWrites = c1.zendesk as Record<string, number>;
    const writeCalls = Object.entries(zdWrites)
      .filter(([k]) => /create_or_update_many|create_many|update_many/.test(k))
      .reduce((a, [, v]) => a + v, 0);
    const totalRecords = Object.values(records).reduce((a, b) => a + b, 0);
    const bulkPages = Object.values(records).reduce((a, n) => a + Math.max(1, Math.ceil(n / 50_000)), 0);
    console.log(
      `full sync: exit ${first.code}, wall ${(first.wallMs / 1000).toFixed(1)} s, peak RSS ${first.maxRssMb} MB`,
    );
    console.log(
      `  Salesforce calls ${fmt(Number(c1.salesforceTotal))} (minimum ≈ ${fmt(2 + 4 * 3 + bulkPages)}: token, limits, 4 × (describe, job, poll) + ${bulkPages} result pages of ≤50,000 for ${fmt(totalRecords)} records) ${JSON.stringify(c1.salesforce)}`,
    );
    console.log(
      `  Zendesk write calls ${fmt(writeCalls)} (minimum ${fmt(ceil100(written.organization) + ceil100(written.user))} = ⌈${fmt(written.organization)} orgs/100⌉ + ⌈${fmt(written.user)} users/100⌉), all Zendesk calls ${fmt(Number(c1.zendeskTotal))} (job-status polls included)`,
    );
    console.log(
      `  Zendesk now holds ${fmt(Number(c1.zendeskOrganizations))} organisations, ${fmt(Number(c1.zendeskUsers))} users`,
    );
    if (!full) return;

    await emulators.ask({ cmd: 'reset' });
    const again = await runSync(emulators, db);
    const c2 = await emulators.ask({ cmd: 'counts' });
    const w2 = (again.report?.written ?? { organization: -1, user: -1 }) as {
      organization: number;
      user: number;
    };
    console.log(
      `no-change resync: exit ${again.code}, wall ${(again.wallMs / 1000).toFixed(1)} s, Zendesk records written ${w2.organization + w2.user} (target 0), Zendesk calls ${fmt(Number(c2.zendeskTotal))}, Salesforce calls ${fmt(Number(c2.salesforceTotal))}, peak RSS ${again.maxRssMb} MB`,
    );

    await emulators.ask({ cmd: 'reset' });
    const mutated = await emulators.ask({ cmd: 'mutate', share: 0.01 });
    await emulators.ask({ cmd: 'advance', ms: 120_000 });
    const changed = mutated.changed as Record<string, number>;
    const changedTotal = Object.values(changed).reduce((a, b) => a + b, 0);
    const incremental = await runSync(emulators, db);
    const c3 = await emulators.ask({ cmd: 'counts' });
    const w3 = (incremental.report?.written ?? { organization: -1, user: -1 }) as {
      organization: number;
      user: number;
    };
    const restMin = Object.values(changed).reduce((a, n) => a + Math.max(1, Math.ceil(n / 2000)), 0);
    const writes3 = Object.entries(c3.zendesk as Record<string, number>)
      .filter(([k]) => /create_or_update_many|create_many|update_many/.test(k))
      .reduce((a, [, v]) => a + v, 0);
    console.log(
      `incremental after 1% changed (${fmt(changedTotal)} records: ${JSON.stringify(changed)}): exit ${incremental.code}, wall ${(incremental.wallMs / 1000).toFixed(1)} s, peak RSS ${incremental.maxRssMb} MB`,
    );
    console.log(
      `  Salesforce calls ${fmt(Number(c3.salesforceTotal))} (query pages minimum ${restMin} + token, limits, 4 describe, 4 deleted) ${JSON.stringify(c3.salesforce)}`,
    );
    console.log(
      `  Zendesk records written ${fmt(w3.organization)} orgs + ${fmt(w3.user)} users in ${fmt(writes3)} write calls (minimum ${ceil100(w3.organization) + ceil100(w3.user)}), all Zendesk calls ${fmt(Number(c3.zendeskTotal))}`,
    );
  } finally {
    await emulators.ask({ cmd: 'quit' }).catch(() => undefined);
    emulators.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `bench:sync — Node ${process.version}, ${PER} contacts/opportunities/orders per account${values.heap === undefined ? '' : `, sync heap capped at ${values.heap} MB`}`,
);
if (values['skip-small'] !== true) await scenario(Math.round(ACCOUNTS / 10), false);
await scenario(ACCOUNTS, true);
