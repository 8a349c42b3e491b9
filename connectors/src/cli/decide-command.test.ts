import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.ts';
import { runCli } from './main.ts';

const incident = (ticketId: string, extra: Record<string, unknown> = {}) => ({
  ticketId,
  type: 'delivery',
  severity: 'high',
  companyAtFault: true,
  channel: 'email',
  openedAt: '2026-11-20T10:00:00Z',
  ...extra,
});

const LINES = [
  JSON.stringify({
    id: 'a',
    incident: incident('1', { contacts: 3, comments: ['Toujours pas livré'] }),
    customer: { customerId: 'c1', revenue12m: 40_000 },
  }),
  '{"id":"b", oops',
  JSON.stringify({ id: 'c', incident: incident('2', { type: 'nope' }), customer: { customerId: 'c2' } }),
  '',
  JSON.stringify({
    id: 'd',
    now: '2026-11-22T10:00:00Z',
    incident: incident('3', { severity: 'low', companyAtFault: false }),
    customer: { customerId: 'c3', revenue12m: 800 },
  }),
].join('\n');

function records(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('boucle decide', () => {
  it('decides every good line, and reports each bad one with its line number and the reason', async () => {
    const { io, stdout, stderr } = captureIo({ input: LINES });
    expect(await runCli(['decide'], io)).toBe(1);
    const decisions = records(stdout());
    expect(decisions.map((d) => [d.id, d.action, d.priority])).toEqual([
      ['a', 'compensation', 'urgent'],
      ['d', 'none', 'low'],
    ]);
    expect(decisions[0]).toMatchObject({
      decidedAt: '2026-11-20T10:00:00.000Z',
      tags: ['boucle_compensation', 'boucle_effort_customer_harder', 'boucle_effort_estimated'],
      effort: { class: 'customer_harder', source: 'estimated' },
    });
    expect(typeof decisions[0]?.expectedValue).toBe('number');
    const explanation = decisions[0]?.explanation as {
      reasons: { code: string }[];
      facts: Record<string, unknown>;
    };
    expect(explanation.reasons[0]).toMatchObject({ code: 'best_expected_value', action: 'compensation' });
    expect(explanation.facts['effort.phraseMatches']).toBe(1);
    const errors = records(stderr());
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ line: 2, error: 'INVALID_JSON' });
    expect(errors[1]).toMatchObject({
      line: 3,
      id: 'c',
      error: 'INVALID_INPUT',
      issues: [{ path: 'incident.type' }],
    });
  });

  it('reads records separated by \\n only: U+2028 inside a string and \\r between tokens are part of the record', async () => {
    const withSeparators = JSON.stringify({
      id: 'e',
      incident: incident('4', { comments: ['Colis perdu.\u2028Deuxième appel.\u2029Merci'] }),
      customer: { customerId: 'c4', revenue12m: 5_000 },
    }).replace('"customer"', '\r"customer"');
    const input = [withSeparators, '{"id":"f", oops', `${LINES.split('\n')[0]!}\r`].join('\n');
    const { io, stdout, stderr } = captureIo({ input });
    expect(await runCli(['decide'], io)).toBe(1);
    expect(records(stdout()).map((d) => d.id)).toEqual(['e', 'a']);
    const errors = records(stderr());
    expect(errors).toEqual([expect.objectContaining({ line: 2, error: 'INVALID_JSON' })]);
  });

  it('names each input problem by its path, list positions in brackets', async () => {
    const line = JSON.stringify({
      id: 'g',
      incident: incident('5'),
      customer: { customerId: 'c5' },
      feedback: [{ id: 'n1', kind: 'nps', score: 42, respondedAt: '2026-11-19T10:00:00Z' }],
    });
    const { io, stderr } = captureIo({ input: line });
    expect(await runCli(['decide'], io)).toBe(1);
    const [error] = records(stderr());
    expect((error?.issues as { path: string }[]).map((issue) => issue.path)).toContain('feedback[0].score');
  });

  it('gives the same output for the same input, and honours --now, --settings and --text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'boucle-decide-'));
    await writeFile(join(dir, 'in.jsonl'), LINES.split('\n')[0]!);
    await writeFile(
      join(dir, 'settings.json'),
      JSON.stringify({ callback_window_hours_gold: '6', compensation_tiers: '[]' }),
    );
    const runs = await Promise.all(
      [0, 1].map(async () => {
        const { io, stdout } = captureIo({ cwd: dir });
        expect(
          await runCli(
            [
              'decide',
              'in.jsonl',
              '--settings',
              'settings.json',
              '--now',
              '2026-11-21T00:00:00Z',
              '--text',
              'fr',
            ],
            io,
          ),
        ).toBe(0);
        return stdout();
      }),
    );
    expect(runs[0]).toBe(runs[1]);
    const [decision] = records(runs[0]!);
    expect(decision).toMatchObject({
      action: 'callback',
      decidedAt: '2026-11-21T00:00:00.000Z',
      callbackDueAt: '2026-11-21T06:00:00.000Z',
    });
    const text = decision?.explanationText as { headline: string; glance: string; details: string[] };
    expect(text.headline).toBe(`Un rappel, priorité urgente — ${text.glance}`);
    expect(text.glance).not.toMatch(/valeur attendue/);
    expect(text.details[0]).toMatch(/^Un rappel a la meilleure valeur attendue/);
  });

  it('prints the JSON Schema of an input line', async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(['decide', '--schema'], io)).toBe(0);
    const schema = JSON.parse(stdout()) as {
      type: string;
      required: string[];
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['id', 'incident', 'customer']);
    expect(Object.keys(schema.properties)).toEqual([
      'id',
      'now',
      'incident',
      'customer',
      'feedback',
      'history',
      'ticketSignals',
    ]);
    expect(schema.properties.incident?.properties).toHaveProperty('severity');
  });

  it.each([
    [['--settings', 'missing.json'], 'cannot read the settings'],
    [['--now', 'tomorrow'], '--now must be an ISO 8601 instant'],
    [['--text', 'de'], '--text takes "en" or "fr"'],
    [['a', 'b'], 'at most one input file'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['missing.jsonl'], 'cannot read'],
  ])('refuses %j with a clear message', async (args, message) => {
    const { io, stderr } = captureIo();
    expect(await runCli(['decide', ...args], io)).toBe(2);
    expect(stderr()).toContain(message);
  });

  it('lists every bad setting before deciding anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'boucle-decide-'));
    await writeFile(
      join(dir, 'settings.json'),
      JSON.stringify({ costs_callback_minutes: 'x', locale: 'de' }),
    );
    const { io, stderr, stdout } = captureIo({ input: LINES, cwd: dir });
    expect(await runCli(['decide', '--settings', 'settings.json'], io)).toBe(2);
    expect(stderr()).toContain('- costs.callbackMinutes: "x" is not a number');
    expect(stderr()).toContain('- locale: Use one of: "en", "fr".');
    expect(stdout()).toBe('');
  });

  it('prints its help', async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(['decide', '--help'], io)).toBe(0);
    expect(stdout()).toContain('Usage: boucle decide');
  });
});
