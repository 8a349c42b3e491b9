/** The sync on both databases: same Salesforce org, same Zendesk end state; `sync --watch` runs on one process at a time. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { startHarness, type Harness } from './test-harness.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

function zendeskState(h: Harness): string[] {
  return [...h.zd.store.organizations.values()]
    .map((o) => JSON.stringify([o.external_id, o.name, o.organization_fields]))
    .concat([...h.zd.store.users.values()].map((u) => JSON.stringify([u.external_id, u.name, u.user_fields])))
    .map((line) => line.replace(/"boucle_crm_synced_at":"[^"]*"/g, ''))
    .sort();
}

/** Each database's Zendesk end state (the SQLite run comes first). */
const states = new Map<string, string[]>();

describe.each(['sqlite', 'postgres'] as const)('Salesforce → Zendesk sync on %s', (database) => {
  it('writes every account and contact, a resync writes nothing, a change writes one record', async () => {
    const url = database === 'postgres' ? await freshPostgresDatabase() : undefined;
    const h = await startHarness({ accounts: 15, perAccount: 3 }, {}, {}, 1, url);
    harnesses.push(h);
    const first = await h.sync();
    expect(first.written).toEqual({ organization: 15, user: first.read.Contact });
    expect(h.zd.store.organizations.size).toBe(15);
    h.takeWrites();
    expect((await h.sync()).mode.Account).toBe('incremental');
    expect(h.takeWrites()).toEqual({ organizations: 0, users: 0, calls: 0 });
    const contact = [...h.zd.store.users.values()].find((u) => u.external_id !== null)!;
    h.sf.update('Contact', contact.external_id!, { LastName: 'Renamed' });
    expect((await h.sync()).changed.Contact).toBe(1);
    expect(h.takeWrites()).toEqual({ organizations: 0, users: 1, calls: 1 });
    const { sql, close } = await h.openSql();
    try {
      expect(sql.dialect).toBe(database);
      expect((await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_profile'))?.n).toBe(15);
      expect((await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_outbox'))?.n).toBe(0);
    } finally {
      await close();
    }
    // The same org (seeded) gives the same Zendesk end state on both databases.
    const state = zendeskState(h);
    expect(state.length).toBeGreaterThanOrEqual(15 + first.read.Contact);
    states.set(database, state);
    if (database === 'postgres') expect(state).toEqual(states.get('sqlite'));
  });
});

function boucleSync(h: Harness, args: string[]) {
  let output = '';
  const child = spawn(process.execPath, [join(root, 'bin/boucle.mjs'), 'sync', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...h.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const events = (): string[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => String((JSON.parse(line) as { event: string }).event));
  return { child, exit, output: () => output, events };
}

const until = async (what: string, ok: () => boolean, ms = 60_000): Promise<void> => {
  const started = Date.now();
  while (!ok()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('boucle sync --watch on PostgreSQL', () => {
  it('two loops on one database never run a cycle at the same time; the second takes over when the first dies', async () => {
    const url = await freshPostgresDatabase();
    const h = await startHarness({ accounts: 10, perAccount: 2 }, {}, {}, 1, url);
    harnesses.push(h);
    const a = boucleSync(h, ['--watch', '--interval', '300ms']);
    await until('a first run', () => a.events().includes('sync.done'));
    const b = boucleSync(h, ['--watch', '--interval', '300ms']);
    await until('the second to wait', () => b.events().includes('sync.waiting'));
    await until('two more runs of the first', () => a.events().filter((e) => e === 'sync.done').length >= 3);
    expect(b.events()).not.toContain('sync.done');
    a.child.kill('SIGKILL');
    await a.exit;
    await until('the second to take over', () => b.events().includes('sync.done'));
    expect(b.events()).toContain('sync.took_over');
    b.child.kill('SIGTERM');
    expect(await b.exit, b.output()).toBe(0);
    // Runs never overlapped: each started after the previous one finished.
    const { sql, close } = await h.openSql();
    try {
      const runs = await sql.all<{ started_at: number; finished_at: number | null }>(
        'SELECT started_at, finished_at FROM sync_run ORDER BY started_at',
      );
      for (let i = 1; i < runs.length; i++)
        if (runs[i - 1]!.finished_at !== null)
          expect(runs[i]!.started_at).toBeGreaterThanOrEqual(runs[i - 1]!.finished_at!);
    } finally {
      await close();
    }
  });
});
