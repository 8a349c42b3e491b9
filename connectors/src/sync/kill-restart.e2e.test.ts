/**
 * kill -9 in the middle of `boucle sync`, then a restart: the final Zendesk state equals an uninterrupted run's,
 * and no record is written twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './test-harness.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

function startSync(h: Harness): { child: ChildProcess; exit: Promise<number | null>; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [join(root, 'bin/boucle.mjs'), 'sync'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...h.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, output: () => output };
}

/** Zendesk records written, per `kind:external_id`, from the emulator's request log. */
function writesOf(h: Harness): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of h.zd.requests()) {
    if (!/create_or_update_many|create_many|update_many/.test(r.path)) continue;
    const body = r.body as { organizations?: { external_id: string }[]; users?: { external_id: string }[] };
    for (const o of body.organizations ?? [])
      out.set(`o:${o.external_id}`, (out.get(`o:${o.external_id}`) ?? 0) + 1);
    for (const u of body.users ?? []) out.set(`u:${u.external_id}`, (out.get(`u:${u.external_id}`) ?? 0) + 1);
  }
  return out;
}

/** What Zendesk holds for Boucle, without the sync timestamp. */
function zendeskState(h: Harness): Record<string, unknown> {
  const strip = (fields: Record<string, unknown>): Record<string, unknown> => {
    const { boucle_crm_synced_at: _at, ...rest } = fields;
    return rest;
  };
  const orgIds = new Map<number, string>();
  const state: Record<string, unknown> = {};
  for (const o of h.zd.store.organizations.values()) {
    if (o.external_id === null) continue;
    orgIds.set(o.id, o.external_id);
    state[`o:${o.external_id}`] = { name: o.name, fields: strip(o.organization_fields) };
  }
  for (const u of h.zd.store.users.values()) {
    if (u.external_id === null) continue;
    state[`u:${u.external_id}`] = {
      name: u.name,
      email: u.email,
      org: u.organization_id === null ? null : orgIds.get(u.organization_id),
      fields: strip(u.user_fields),
    };
  }
  return state;
}

describe('boucle sync killed with SIGKILL', () => {
  it('finishes after a restart with the same Zendesk state as an uninterrupted run and no duplicate write', async () => {
    const start = Date.parse('2026-11-20T12:00:00Z');
    const env = { SYNC_BATCH_SIZE: '4', SYNC_ZENDESK_CONCURRENCY: '1' };
    const reference = await startHarness({ accounts: 250, perAccount: 3 }, { clock: { start } }, env, 20);
    const crashed = await startHarness({ accounts: 250, perAccount: 3 }, { clock: { start } }, env, 20);
    harnesses.push(reference, crashed);

    const uninterrupted = startSync(reference);
    expect(await uninterrupted.exit, uninterrupted.output()).toBe(0);

    const first = startSync(crashed);
    // Kill it once it has sent a few bulk jobs, i.e. in the middle of writing.
    for (;;) {
      const jobs = crashed.zd
        .requests()
        .filter((r) => /create_or_update_many|create_many|update_many/.test(r.path));
      if (jobs.length >= 4) break;
      const code = await Promise.race([
        first.exit,
        new Promise<'running'>((r) => setTimeout(() => r('running'), 5)),
      ]);
      if (code !== 'running') throw new Error(`sync ended before it could be killed:\n${first.output()}`);
    }
    first.child.kill('SIGKILL');
    expect(await first.exit).toBeNull();
    const writtenBeforeKill = [...writesOf(crashed).values()].reduce((a, b) => a + b, 0);
    const total = [...writesOf(reference).values()].reduce((a, b) => a + b, 0);
    expect(writtenBeforeKill).toBeGreaterThan(0);
    expect(writtenBeforeKill).toBeLessThan(total);

    const second = startSync(crashed);
    expect(await second.exit, second.output()).toBe(0);

    expect(zendeskState(crashed)).toEqual(zendeskState(reference));
    const writes = writesOf(crashed);
    const duplicates = [...writes].filter(([, n]) => n > 1);
    expect(duplicates).toEqual([]);
    expect([...writes.keys()].sort()).toEqual([...writesOf(reference).keys()].sort());
  });
});
