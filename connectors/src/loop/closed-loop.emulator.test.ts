import { describe, expect, it } from 'vitest';
import { CRM_FIELD_KEYS, CUSTOM_OBJECT_KEYS } from '../../../shared/src/index.ts';
import type { AutomationSettings } from '../config/automation.ts';
import { computeLoopReport } from './compute-loop-report.ts';
import { SURVEY_TOKEN, collectAll, settle, useLoopHarness, waitFor } from './test-harness.ts';

const startLoop = useLoopHarness();
const setUp = (settings: Partial<AutomationSettings> = {}) => startLoop({ settings });

describe('closed loop against the Zendesk emulator', { timeout: 30_000 }, () => {
  it('turns a bad survey answer into a tagged, prioritised follow-up ticket with one note and a ledger record', async () => {
    const { emulator, client, service } = await setUp();
    const organization = await client.createOrUpdateOrganization({
      name: 'Maison Dupont',
      external_id: 'SF-001-DUPONT',
      organization_fields: {
        [CRM_FIELD_KEYS.valueTier]: 'platinum',
        [CRM_FIELD_KEYS.revenue12m]: 240_000,
        [CRM_FIELD_KEYS.lifetimeRevenue]: 900_000,
        [CRM_FIELD_KEYS.marginRate]: 0.4,
        [CRM_FIELD_KEYS.orders12m]: 30,
        [CRM_FIELD_KEYS.crmSyncedAt]: '2026-11-20T08:00:00Z',
      },
    });
    const customer = await client.createOrUpdateUser({
      name: 'Marie Dupont',
      email: 'marie@dupont.example',
      role: 'end-user',
      organization_id: organization.id,
    });

    const response = await fetch(`${service.url}/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'survey-42',
        kind: 'nps',
        score: 1,
        respondedAt: new Date(Date.now() - 60_000).toISOString(),
        email: 'marie@dupont.example',
        comment: "Troisième fois que j'appelle, toujours pas de solution, encore une attente interminable.",
      }),
    });
    expect(response.status).toBe(202);
    await settle(emulator, service);

    // The feedback record, linked to the user.
    const feedback = await client.getCustomObjectRecord(
      CUSTOM_OBJECT_KEYS.feedback,
      (await first(
        client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.feedback, {
          externalIds: ['survey_api:survey-42'],
        }),
      ))!.id,
    );
    expect(feedback.custom_object_fields).toMatchObject({
      kind: 'nps',
      score: 1,
      user: String(customer.id),
      source: 'survey_api',
    });

    // No open ticket: a follow-up ticket was opened for the customer, and the decision applied to it.
    const entries = await service.ledger.all();
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry!.action).not.toBe('none');
    // The decision's input is kept with it, so a draft policy can decide it again (the policy preview).
    const [stored] = await collectAll(service.ledger.storedIncidents());
    expect(stored).toMatchObject({
      decidedAt: entry!.decidedAt.getTime(),
      recorded: { action: entry!.action, cost: entry!.cost, compensationTier: entry!.compensationTier },
    });
    expect(stored!.input?.incident.ticketId).toBe(String(entry!.ticketId));
    const ticket = await client.getTicket(entry!.ticketId);
    expect(ticket.requester_id).toBe(customer.id);
    expect(ticket.tags).toEqual(expect.arrayContaining(['boucle_follow_up', `boucle_${entry!.action}`]));
    expect(ticket.tags.filter((tag) => !tag.startsWith('boucle_'))).toEqual([]);
    expect(ticket.priority).toBe(entry!.priority);
    const fieldIds = new Map((await client.listTicketFields()).map((field) => [field.title, field.id]));
    const fieldValue = (title: string) =>
      ticket.custom_fields.find((field) => field.id === fieldIds.get(title))?.value;
    expect(fieldValue('Boucle intervention')).toBe(`boucle_${entry!.action}`);
    if (entry!.dueAt !== null)
      expect(fieldValue('Boucle callback due (UTC)')).toBe(entry!.dueAt.toISOString());

    // One internal note with the explanation (plus the follow-up ticket's opening note), none public.
    const comments = await collect(client.listComments(ticket.id));
    const notes = comments.filter((comment) => comment.body.startsWith('Boucle — '));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.public).toBe(false);
    expect(notes[0]!.body).toContain(entry!.summary);
    expect(comments.every((comment) => !comment.public)).toBe(true);

    // The ledger record in Zendesk.
    const records = await collect(client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.intervention));
    expect(records).toHaveLength(1);
    expect(records[0]!.custom_object_fields).toMatchObject({
      ticket_id: String(ticket.id),
      action: entry!.action,
      status: 'applied',
    });

    // Boucle's own update came back as a signed webhook; it changed nothing.
    expect(emulator.webhookDeliveries().length).toBeGreaterThanOrEqual(2);
    expect(
      service.metrics.value('events_processed_total', { kind: 'zendesk.ticket.updated' }),
    ).toBeGreaterThanOrEqual(1);
    expect((await collect(client.listComments(ticket.id))).length).toBe(comments.length);

    // The same answer again is a duplicate; nothing new happens.
    const again = await fetch(`${service.url}/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'survey-42',
        kind: 'nps',
        score: 1,
        respondedAt: '2026-11-20T10:00:00Z',
        email: 'marie@dupont.example',
      }),
    });
    expect(again.status).toBe(200);
  });

  it('reminds before the callback deadline, records the outcome and the recovery, and reports the week', async () => {
    const { emulator, client, service } = await setUp({
      reminderLeadMs: 30 * 86_400_000,
      deadlineScanIntervalMs: 40,
    });
    const organization = await client.createOrUpdateOrganization({
      name: 'Grand Hôtel Martin',
      external_id: 'SF-001-MARTIN',
      organization_fields: {
        [CRM_FIELD_KEYS.valueTier]: 'platinum',
        [CRM_FIELD_KEYS.revenue12m]: 400_000,
        [CRM_FIELD_KEYS.lifetimeRevenue]: 2_000_000,
        [CRM_FIELD_KEYS.marginRate]: 0.5,
        [CRM_FIELD_KEYS.crmSyncedAt]: '2026-11-20T08:00:00Z',
      },
    });
    const customer = await client.createOrUpdateUser({
      name: 'Paul Martin',
      email: 'paul@martin.example',
      role: 'end-user',
      organization_id: organization.id,
    });
    const post = (answer: Record<string, unknown>) =>
      fetch(`${service.url}/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'paul@martin.example', ...answer }),
      });
    const earlier = Date.now() - 86_400_000;
    expect(
      (
        await post({
          id: 'ces-1',
          kind: 'ces',
          score: 7,
          respondedAt: new Date(earlier).toISOString(),
          interactionId: 'i1',
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await post({
          id: 'ke-1',
          kind: 'company_effort',
          score: 1,
          respondedAt: new Date(earlier).toISOString(),
          interactionId: 'i1',
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await post({
          id: 'nps-1',
          kind: 'nps',
          score: 0,
          respondedAt: new Date(earlier + 60_000).toISOString(),
          comment: "Troisième fois que j'appelle, toujours pas de solution, encore une panne.",
        })
      ).status,
    ).toBe(202);
    await settle(emulator, service);
    const entry = (await service.ledger.all()).at(-1)!;
    expect(['callback', 'compensation']).toContain(entry.action);
    expect(entry.dueAt).not.toBeNull();

    // The reminder: tag, note, priority raised; once.
    await waitFor(emulator, service, async () => (await service.ledger.byId(entry.id))?.remindedAt !== null);
    await settle(emulator, service);
    const reminded = await client.getTicket(entry.ticketId);
    expect(reminded.tags).toContain('boucle_callback_due_soon');
    const reminders = (await collect(client.listComments(entry.ticketId))).filter((comment) =>
      comment.body.startsWith('Boucle — reminder'),
    );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.public).toBe(false);
    expect((await service.ledger.byId(entry.id))!.remindedAt).not.toBeNull();

    // The agent closes the loop; the customer answers the follow-up survey.
    await emulator.applyTicketChange(entry.ticketId, { additional_tags: ['boucle_outcome_contacted'] });
    await waitFor(emulator, service, async () => (await service.ledger.byId(entry.id))?.outcome !== null);
    expect(await service.ledger.byId(entry.id)).toMatchObject({ outcome: 'contacted', status: 'contacted' });
    expect(
      (
        await post({
          id: 'nps-2',
          kind: 'nps',
          score: 9,
          respondedAt: new Date(Date.now() + 1000).toISOString(),
          ticketId: entry.ticketId,
        })
      ).status,
    ).toBe(202);
    await settle(emulator, service);
    expect(await service.ledger.byId(entry.id)).toMatchObject({ recovered: true, status: 'closed' });
    expect(customer.id).toBe((await service.ledger.byId(entry.id))!.userId);
    const [week] = computeLoopReport(await service.ledger.all());
    expect(week).toMatchObject({
      interventions: 1,
      closed: 1,
      closureRate: 1,
      withinDeadlineRate: 1,
      recoveryRate: 1,
      recoveryAnswers: 1,
    });
  });

  it('never lowers a priority an agent set by hand, and notes only decision changes', async () => {
    const { emulator, client, service } = await setUp();
    const tickets = await collect(client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.intervention));
    expect(tickets).toHaveLength(0);
    const seeded = [...emulator.store.tickets.values()].find((ticket) =>
      ['new', 'open'].includes(ticket.status),
    )!;
    await emulator.applyTicketChange(seeded.id, { priority: 'urgent' });
    await settle(emulator, service);
    const after = await client.getTicket(seeded.id);
    expect(after.priority).toBe('urgent');
    const notes = (await collect(client.listComments(seeded.id))).filter((comment) =>
      comment.body.startsWith('Boucle — '),
    );
    expect(notes).toHaveLength(1);
    await emulator.applyTicketChange(seeded.id, { comment: { body: 'Any news?', public: true } });
    await settle(emulator, service);
    const notesAfter = (await collect(client.listComments(seeded.id))).filter((comment) =>
      comment.body.startsWith('Boucle — '),
    );
    expect(notesAfter.length).toBeLessThanOrEqual(2);
    expect(await service.ledger.forTicket(seeded.id)).toHaveLength(notesAfter.length);
  });
});

describe('event webhooks (Zendesk event subscriptions) against the emulator', { timeout: 30_000 }, () => {
  it('acts on a ticket change delivered as a ticket event as it does on the trigger webhook', async () => {
    const { emulator, service } = await setUp();
    const triggerHook = [...emulator.store.webhooks.values()][0]!;
    triggerHook.status = 'inactive';
    const admin = [...emulator.store.users.values()].find((user) => user.role === 'admin')!;
    const eventHook = emulator.store.createWebhook(
      {
        name: 'Boucle (ticket events)',
        status: 'active',
        endpoint: triggerHook.endpoint,
        http_method: 'POST',
        request_format: 'json',
        subscriptions: ['zen:event-type:ticket.priority_changed', 'zen:event-type:ticket.comment_added'],
        signing_secret: { algorithm: 'SHA256', secret: triggerHook.signing_secret.secret },
      },
      admin,
    );
    const seeded = [...emulator.store.tickets.values()].find((ticket) =>
      ['new', 'open'].includes(ticket.status),
    )!;
    await emulator.applyTicketChange(seeded.id, {
      priority: seeded.priority === 'urgent' ? 'high' : 'urgent',
      comment: { body: 'Toujours rien reçu, troisième appel.', public: true },
    });
    await waitFor(emulator, service, async () => (await service.ledger.forTicket(seeded.id)).length > 0);
    const deliveries = emulator.webhookDeliveries().filter((delivery) => delivery.webhookId === eventHook.id);
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((delivery) => delivery.outcome === 'delivered')).toBe(true);
    expect(emulator.webhookDeliveries().some((delivery) => delivery.webhookId === triggerHook.id)).toBe(
      false,
    );
    expect(await service.ledger.forTicket(seeded.id)).toHaveLength(1);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function first<T>(items: AsyncIterable<T>): Promise<T | undefined> {
  for await (const item of items) return item;
  return undefined;
}
