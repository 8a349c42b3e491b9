import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableQueue } from '../queue/durable-queue.ts';
import { openAutomationStore } from '../serve/start-automation-service.ts';
import { captureIo } from './capture-io.ts';
import { runCli } from './main.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'boucle-cli-'));
  dirs.push(dir);
  const run = async (...argv: string[]) => {
    const { io, stdout, stderr } = captureIo({ cwd: dir, env: { BOUCLE_DB_PATH: 'db/boucle.sqlite' } });
    const code = await runCli(argv, io);
    return { code, stdout: stdout(), stderr: stderr() };
  };
  return { dir, run, db: join(dir, 'db/boucle.sqlite') };
}

describe('boucle import / dlq / report', () => {
  it('imports a French CSV export, keeps the valid rows and lists the rejected ones by line', async () => {
    const { dir, run } = workspace();
    writeFileSync(
      join(dir, 'export.csv'),
      '\uFEFFid;type;note;date;courriel\r\na1;nps;2;03/11/2026;a@example.fr\r\na2;nps;dix;03/11/2026;b@example.fr\r\na3;csat;4,0;31/11/2026;c@example.fr\r\n',
    );
    const first = await run('import', 'export.csv');
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(
      'export.csv: 3 row(s), separator ";": 1 queued, 0 already imported, 2 rejected.',
    );
    expect(first.stdout).toContain('  line 3: score: "dix" is not a number');
    expect(first.stdout).toContain('  line 4: respondedAt: "31/11/2026" is not a date');
    const again = await run('import', 'export.csv');
    expect(again.stdout).toContain('0 queued, 1 already imported');
    expect((await run('import', 'missing.csv')).stderr).toContain('cannot read missing.csv');
    expect((await run('import')).code).toBe(2);
  });

  it('lists dead letters and queues them again', async () => {
    const { run, db } = workspace();
    expect((await run('dlq', 'list')).stdout).toBe('The dead-letter list is empty.\n');
    const store = openAutomationStore(db);
    const queue = new DurableQueue(store.db, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await queue.enqueue({ idempotencyKey: 'k', kind: 'zendesk.ticket.updated', payload: { ticketId: 1 } });
    queue.fail(queue.claim(1, 1000)[0]!, 'Zendesk is unavailable');
    store.close();
    const listed = await run('dlq', 'list');
    expect(listed.stdout).toMatch(
      /^1\tzendesk\.ticket\.updated\t.+\t1 attempt\(s\)\tZendesk is unavailable\n$/,
    );
    expect((await run('dlq', 'retry')).code).toBe(2);
    expect(await run('dlq', 'retry', '1')).toMatchObject({ code: 0, stdout: '1 event(s) queued again.\n' });
    expect((await run('dlq', 'list')).stdout).toBe('The dead-letter list is empty.\n');
  });

  it('prints the loop report, and refuses unknown reports', async () => {
    const { run } = workspace();
    expect(await run('report', 'loop')).toMatchObject({ code: 0, stdout: 'No intervention recorded yet.\n' });
    expect((await run('report', 'nps')).code).toBe(2);
    expect((await run('report', 'loop', '--weeks', '0')).stderr).toContain('--weeks takes a whole number');
  });
});
