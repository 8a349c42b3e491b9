import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CRM_FIELD_KEYS, createDecider, parseSettings, type Decider } from '../../../shared/src/index.ts';
import {
  startZendeskEmulator,
  ZENDESK_SANDBOX_CREDENTIALS,
  type ZendeskEmulator,
} from '../../../sandbox/zendesk/index.ts';
import type { AutomationSettings } from '../config/automation.ts';
import { startAutomationService, type RunningAutomationService } from '../serve/start-automation-service.ts';
import { ZendeskClient } from '../zendesk/index.ts';
import { createLoopZendesk } from './create-loop-zendesk.ts';
import { provisionAutomation } from './provision-automation.ts';

const SURVEY_TOKEN = 'survey-token-for-tests-0123456789';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(decider: Decider): Promise<{
  emulator: ZendeskEmulator;
  client: ZendeskClient;
  service: RunningAutomationService;
}> {
  const emulator = await startZendeskEmulator({
    seed: 7,
    counts: { users: 6, organizations: 2, tickets: 4 },
    webhookRetryDelaysMs: [20, 50],
  });
  cleanups.push(() => emulator.close());
  const client = new ZendeskClient({
    baseUrl: emulator.url,
    auth: {
      kind: 'apiToken',
      email: ZENDESK_SANDBOX_CREDENTIALS.email,
      token: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    },
    backoffMs: 5,
  });
  const port = await freePort();
  const { signingSecret } = await provisionAutomation(client, `http://127.0.0.1:${port}`);
  const dir = mkdtempSync(join(tmpdir(), 'boucle-loop-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const settings: AutomationSettings = {
    host: '127.0.0.1',
    port,
    webhookSecret: signingSecret,
    surveyToken: SURVEY_TOKEN,
    webhookToleranceSeconds: 300,
    workers: 2,
    maxAttempts: 3,
    retryBaseMs: 10,
    retryMaxMs: 50,
    businessHours: null,
    followUpGroupId: undefined,
    settingsFile: undefined,
    csatPullIntervalMs: 0,
    queueSync: 'full',
    // Every follow-up is within the reminder lead: the scan reminds at once.
    reminderLeadMs: 30 * 86_400_000,
    deadlineScanIntervalMs: 40,
  };
  const service = await startAutomationService({
    settings,
    databasePath: join(dir, 'boucle.sqlite'),
    zendesk: createLoopZendesk(client),
    decider,
    pollMs: 10,
  });
  cleanups.push(() => service.close());
  return { emulator, client, service };
}

/** Until the emulator has delivered its webhooks and the service has processed everything, twice in a row. */
async function settle(emulator: ZendeskEmulator, service: RunningAutomationService): Promise<void> {
  let quiet = 0;
  while (quiet < 2) {
    await emulator.settle();
    await service.workers.idle();
    quiet = service.queue.depth() === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

/** The default settings with a rule that forces one action, so that each intervention's follow-up is seen. */
function forcing(action: string): Decider {
  const parsed = parseSettings({
    // The follow-up ticket of a survey answer is of normal priority (medium severity): let it warrant a gesture.
    guardrails: { severeFrom: 'medium' },
    rules: [
      {
        name: 'Force',
        priority: 1,
        conditions: { all: [{ fact: 'incident.contacts', operator: 'greaterThan', value: 0 }] },
        event: { params: { force: action } },
      },
    ],
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return createDecider(parsed.data);
}

describe('each intervention keeps its own promise in the connector', { timeout: 30_000 }, () => {
  it.each([
    [
      'compensation',
      /Grant the compensation and confirm it to the customer in writing before \S+ \(UTC\)\./,
      /Boucle — reminder: Grant the compensation/,
    ],
    ['apology', /Send the customer the apology before \S+ \(UTC\)\./, /Boucle — reminder: Send the customer/],
    ['callback', /Call the customer back before \S+ \(UTC\)\./, /Boucle — reminder: Call the customer back/],
  ])(
    '%s: the note and the reminder say its own follow-up, with its clock',
    async (action, task, reminder) => {
      const { emulator, client, service } = await setUp(forcing(action));
      const organization = await client.createOrUpdateOrganization({
        name: 'Maison Dupont',
        external_id: 'SF-001-DUPONT',
        organization_fields: {
          [CRM_FIELD_KEYS.valueTier]: 'platinum',
          [CRM_FIELD_KEYS.revenue12m]: 240_000,
          [CRM_FIELD_KEYS.marginRate]: 0.4,
          [CRM_FIELD_KEYS.crmSyncedAt]: '2026-11-20T08:00:00Z',
        },
      });
      await client.createOrUpdateUser({
        name: 'Marie Dupont',
        email: 'marie@dupont.example',
        role: 'end-user',
        organization_id: organization.id,
      });
      const response = await fetch(`${service.url}/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: `survey-${action}`,
          kind: 'nps',
          score: 2,
          respondedAt: new Date(Date.now() - 60_000).toISOString(),
          email: 'marie@dupont.example',
          comment: 'Troisième fois que je signale ce problème.',
        }),
      });
      expect(response.status).toBe(202);
      await settle(emulator, service);

      const [entry] = service.ledger.all();
      expect(entry!.action).toBe(action);
      // Every recovery has a first-contact clock: platinum, 24 h.
      expect(entry!.dueAt).not.toBeNull();
      expect((entry!.dueAt!.getTime() - entry!.decidedAt.getTime()) / 3_600_000).toBeCloseTo(24, 5);
      const notes = (await collect(client.listComments(entry!.ticketId))).filter(
        (comment) =>
          comment.body.startsWith('Boucle — ') && !/^Boucle — (reminder|overdue)/.test(comment.body),
      );
      expect(notes).toHaveLength(1);
      expect(notes[0]!.body).toMatch(task);
      expect(notes[0]!.body).not.toMatch(/goodwill_/);
      if (action !== 'callback') expect(notes[0]!.body).not.toMatch(/call the customer back|callback/i);
      if (action === 'compensation') expect(notes[0]!.body).toContain('a credit of €500 on your account');

      // The reminder before the deadline speaks of the same follow-up.
      const reminders = async () =>
        (await collect(client.listComments(entry!.ticketId))).filter((comment) =>
          comment.body.startsWith('Boucle — reminder'),
        );
      for (let round = 0; round < 50 && (await reminders()).length === 0; round += 1)
        await settle(emulator, service);
      const [sent] = await reminders();
      expect(sent?.body).toMatch(reminder);
    },
  );
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
