import { describe, expect, it } from 'vitest';
import { CRM_FIELD_KEYS, createDecider, parseSettings, type Decider } from '../../../shared/src/index.ts';
import { SURVEY_TOKEN, settle, useLoopHarness } from './test-harness.ts';

const startLoop = useLoopHarness();
/** Every follow-up is within the reminder lead: the scan reminds at once. */
const setUp = (decider: Decider) =>
  startLoop({ decider, settings: { reminderLeadMs: 30 * 86_400_000, deadlineScanIntervalMs: 40 } });

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

      const [entry] = await service.ledger.all();
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
