import { describe, expect, it } from 'vitest';
import { NO_SURVEY_TAG } from '../../../shared/src/index.ts';
import { SURVEY_TOKEN, settle, useLoopHarness } from './test-harness.ts';

const startLoop = useLoopHarness();

describe('survey fatigue against the Zendesk emulator', { timeout: 30_000 }, () => {
  it('tags a solved ticket boucle_no_survey when its requester answered within N days, or has a loop open, and not otherwise', async () => {
    const { emulator, client, service } = await startLoop({ settings: { surveyFatigueDays: 30 } });
    const surveyed = await client.createOrUpdateUser({
      name: 'Ana',
      email: 'ana@example.test',
      role: 'end-user',
    });
    const quiet = await client.createOrUpdateUser({
      name: 'Ben',
      email: 'ben@example.test',
      role: 'end-user',
    });
    // Ana answered a survey (a promoter: no incident, nothing to recover) ten days ago.
    const response = await fetch(`${service.url}/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'survey-ana',
        kind: 'nps',
        score: 10,
        respondedAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
        email: 'ana@example.test',
      }),
    });
    expect(response.status).toBe(202);
    await settle(emulator, service);

    const open = async (requesterId: number) =>
      (
        await client.request<{ ticket: { id: number } }>('POST', '/api/v2/tickets.json', {
          body: { ticket: { requester_id: requesterId, subject: 'Question', comment: { body: 'Bonjour' } } },
        })
      ).ticket.id;
    const anaTicket = await open(surveyed.id);
    const benTicket = await open(quiet.id);
    await settle(emulator, service);
    for (const id of [anaTicket, benTicket]) await client.updateTicket(id, { status: 'solved' });
    await settle(emulator, service);

    expect((await client.getTicket(anaTicket)).tags).toContain(NO_SURVEY_TAG);
    expect((await client.getTicket(benTicket)).tags).not.toContain(NO_SURVEY_TAG);

    // A callback still open on Ben's other ticket: his next solved ticket is not surveyed either.
    await service.ledger.record({
      decisionKey: 'open-loop-ben',
      ticketId: benTicket,
      userId: quiet.id,
      action: 'callback',
      priority: 'high',
      tier: 'gold',
      expectedValue: 100,
      cost: 15,
      summary: 'callback',
      decidedAt: new Date(Date.now() - 86_400_000),
      dueAt: null,
    });
    const benAgain = await open(quiet.id);
    await settle(emulator, service);
    await client.updateTicket(benAgain, { status: 'solved' });
    await settle(emulator, service);
    expect((await client.getTicket(benAgain)).tags).toContain(NO_SURVEY_TAG);
  });
});
