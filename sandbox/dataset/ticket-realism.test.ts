import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startZendeskEmulator } from '../zendesk/index.ts';
import { generateWorld } from './generate-world.ts';
import { writeDataset } from './write-data.ts';

const DAY = 86_400_000;
const world = generateWorld({ seed: 42 });
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the dataset’s tickets read like a real helpdesk', () => {
  it('holds a mix of Zendesk statuses, with live critical incidents, each status where it belongs', () => {
    const statuses = new Map<string, number>();
    for (const ticket of world.tickets) statuses.set(ticket.status, (statuses.get(ticket.status) ?? 0) + 1);
    expect([...statuses.keys()].sort()).toEqual(['closed', 'hold', 'new', 'open', 'pending', 'solved']);
    const live = world.tickets.filter(
      (t) => t.tags.includes('critical_incident') && ['new', 'open', 'pending', 'hold'].includes(t.status),
    );
    expect(live.length).toBeGreaterThanOrEqual(5);
    for (const ticket of world.tickets) {
      const last = ticket.comments.at(-1)!;
      // Zendesk closes a solved ticket four days after it was solved.
      if (ticket.status === 'solved') expect(world.now - last.at).toBeLessThanOrEqual(4 * DAY);
      if (ticket.status === 'new') expect(ticket.comments.every((c) => c.author === 'customer')).toBe(true);
      if (ticket.status === 'pending') expect(last.author).toBe('agent');
    }
  });

  it('spreads the comments of a ticket in time, in order, never after "now"', () => {
    for (const ticket of world.tickets) {
      const times = ticket.comments.map((c) => c.at);
      for (let i = 1; i < times.length; i += 1) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
      if (times.length > 1) expect(times.at(-1)!).toBeLessThanOrEqual(world.now);
    }
  });

  it('varies the agents’ replies: never one sentence twice in a ticket, many sentences overall', () => {
    const sentences = new Set<string>();
    for (const ticket of world.tickets) {
      const replies = ticket.comments.filter((c) => c.author === 'agent').map((c) => c.body);
      expect(new Set(replies).size).toBe(replies.length);
      for (const reply of replies) sentences.add(reply);
    }
    expect(sentences.size).toBeGreaterThanOrEqual(30);
  });

  it('loads each comment with its own time in the Zendesk emulator', async () => {
    const small = generateWorld({ seed: 7, accounts: 60 });
    const dir = mkdtempSync(join(tmpdir(), 'boucle-dataset-times-'));
    dirs.push(dir);
    const zendesk = await startZendeskEmulator({ dataDir: writeDataset(small, dir).zendeskDir, port: 0 });
    try {
      let checked = 0;
      for (const ticket of small.tickets) {
        const loaded = zendesk.store.comments.get(ticket.id) ?? [];
        expect(loaded.map((c) => Date.parse(c.created_at))).toEqual(
          ticket.comments.map((c) => Math.floor(c.at / 1000) * 1000),
        );
        expect(zendesk.store.ticket(ticket.id).status).toBe(ticket.status);
        if (loaded.length > 1) {
          expect(new Set(loaded.map((c) => c.created_at.slice(0, 16))).size).toBe(loaded.length);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(100);
    } finally {
      await zendesk.close();
    }
  });
});
