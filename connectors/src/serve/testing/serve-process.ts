import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { CRM_FIELD_KEYS, CUSTOM_OBJECT_KEYS } from '../../../../shared/src/index.ts';
import { ZENDESK_SANDBOX_CREDENTIALS, type ZendeskEmulator } from '../../../../sandbox/zendesk/index.ts';
import { collectAll } from '../../loop/test-harness.ts';
import type { ZendeskClient } from '../../zendesk/client.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The URL `boucle serve` printed on its first line. */
  readonly url: string;
  /** What it wrote to stderr so far. */
  stderr(): string;
}

/**
 * A real `boucle serve` child process (the repository's `bin/boucle.mjs` under the project's Node), with exactly
 * `env` as its environment; resolves once it prints its URL, rejects with its stderr if it exits before.
 */
export function startServeProcess(env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child = spawn(join(ROOT, 'node_modules/.bin/node'), ['bin/boucle.mjs', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined)
        done({ child, url: line.trim(), stderr: () => stderr });
    });
    child.once('exit', (code) => fail(new Error(`boucle serve exited with ${code}: ${stderr}`)));
  });
}

/**
 * The environment of a test's `boucle serve` against the Zendesk emulator (its rate limit out of the way, quick
 * retries, no CSAT pull), plus `more`.
 */
export function serveProcessEnv(
  base: {
    readonly zendeskUrl: string;
    readonly webhookSecret: string;
    readonly surveyToken: string;
    readonly port: number;
    readonly databasePath: string;
  },
  more: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    BOUCLE_DB_PATH: base.databasePath,
    ZENDESK_URL: base.zendeskUrl,
    ZENDESK_EMAIL: ZENDESK_SANDBOX_CREDENTIALS.email,
    ZENDESK_API_TOKEN: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    ZENDESK_REQUESTS_PER_MINUTE: '100000',
    BOUCLE_WEBHOOK_SECRET: base.webhookSecret,
    BOUCLE_SURVEY_TOKEN: base.surveyToken,
    BOUCLE_PORT: String(base.port),
    BOUCLE_RETRY_BASE: '50ms',
    BOUCLE_RETRY_MAX: '500ms',
    BOUCLE_CSAT_PULL_INTERVAL: '0',
    ...more,
  };
}

/** Up to six of the emulator's open tickets, their requesters made valuable (gold) so that decisions act. */
export async function valuableOpenTickets(
  emulator: ZendeskEmulator,
  client: ZendeskClient,
): Promise<{ readonly id: number; readonly requester_id: number }[]> {
  const open = [...emulator.store.tickets.values()]
    .filter((ticket) => ['new', 'open', 'pending'].includes(ticket.status))
    .slice(0, 6);
  for (const ticket of open) {
    await client.updateUser(ticket.requester_id, {
      user_fields: {
        [CRM_FIELD_KEYS.valueTier]: 'gold',
        [CRM_FIELD_KEYS.revenue12m]: 80_000,
        [CRM_FIELD_KEYS.marginRate]: 0.35,
      },
    });
  }
  return open;
}

/**
 * What "applied once in effect" means in Zendesk, per ticket of `tickets`: one private note and one intervention
 * record per ledger entry (`ledgerTicketIds`: the ticket of each entry), no note twice, one action tag.
 */
export async function expectOneEffectPerDecision(
  client: ZendeskClient,
  tickets: readonly { readonly id: number }[],
  ledgerTicketIds: readonly number[],
): Promise<void> {
  const interventionRecords = await collectAll(
    client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.intervention),
  );
  expect(interventionRecords).toHaveLength(ledgerTicketIds.length);
  for (const ticket of tickets) {
    const decisions = ledgerTicketIds.filter((id) => id === ticket.id).length;
    expect(decisions).toBeGreaterThanOrEqual(1);
    const notes = (await collectAll(client.listComments(ticket.id))).filter((comment) =>
      comment.body.startsWith('Boucle — '),
    );
    expect(notes.every((note) => !note.public)).toBe(true);
    const markers = notes.map((note) => /\[boucle:[0-9a-f]{16}\]/.exec(note.body)?.[0]);
    expect(new Set(markers).size).toBe(markers.length);
    expect(notes).toHaveLength(decisions);
    expect(
      interventionRecords.filter((record) => record.custom_object_fields['ticket_id'] === String(ticket.id)),
    ).toHaveLength(decisions);
    const current = await client.getTicket(ticket.id);
    expect(
      current.tags.filter((tag) => /^boucle_(none|apology|callback|compensation)$/.test(tag)),
    ).toHaveLength(1);
  }
}
