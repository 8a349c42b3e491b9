import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeZafClient, json, type FakeRoute } from '../testing/fake-zaf-client.ts';
import { FEEDBACK, NOW, ticketValues, USER } from '../testing/fixtures.ts';
import type { ZafGetPaths } from '../../../common/src/zaf/zaf-client.ts';
import { createZendeskApi } from '../zaf/zendesk-api.ts';
import { App } from './app.tsx';
import { applyStatusOf, type StoredTicket } from './apply-status.ts';

/** First renders of Garden components are slow in jsdom on a loaded machine. */
const SLOW = { timeout: 15_000 };

const INTERVENTION_FIELD = 'ticket.customField:custom_field_76';
const CALLBACK_FIELD = 'ticket.customField:custom_field_77';

/** Zendesk as the sidebar reaches it: the ledger keeps what was written, the saved ticket what was submitted. */
function zendesk(locale = 'en-US') {
  const ledger: { id: string; custom_object_fields: Record<string, unknown>; created_at: string }[] = [];
  const saved: Partial<ZafGetPaths> = ticketValues({
    ticketFields: [
      { name: 'custom_field_76', label: 'Boucle intervention' },
      { name: 'custom_field_77', label: 'Boucle callback due (UTC)' },
    ],
    [INTERVENTION_FIELD]: null,
    [CALLBACK_FIELD]: null,
    'currentUser.locale': locale,
  });
  const routes: FakeRoute[] = [
    (r) => (r.url.startsWith('/api/v2/users/501.json') ? json(USER) : undefined),
    (r) => (r.url.includes('boucle_feedback/records/search') ? json(FEEDBACK) : undefined),
    (r) =>
      r.url.includes('boucle_intervention/records/search')
        ? json({ custom_object_records: [...ledger].reverse() })
        : undefined,
    (r) => {
      if (r.url !== '/api/v2/custom_objects/boucle_intervention/records' || r.type !== 'POST')
        return undefined;
      const body = JSON.parse(r.data ?? '{}') as {
        custom_object_record: { custom_object_fields: Record<string, unknown> };
      };
      const record = {
        id: `rec${ledger.length + 1}`,
        created_at: NOW.toISOString(),
        custom_object_fields: body.custom_object_record.custom_object_fields,
      };
      ledger.push(record);
      return json({ custom_object_record: record }, 201);
    },
  ];
  /** Opens the ticket in a fresh sidebar (a page load): the form is the saved ticket. */
  const open = () => {
    const client = new FakeZafClient({ ...saved, 'ticket.tags': [...(saved['ticket.tags'] ?? [])] });
    client.routes.push(...routes);
    render(
      <App
        client={client}
        api={createZendeskApi(client, { sleep: () => Promise.resolve() })}
        now={() => NOW}
      />,
    );
    return client;
  };
  /** Submit: what the form holds becomes the saved ticket. */
  const submit = (client: FakeZafClient) => {
    for (const values of client.sets) Object.assign(saved, values);
    saved['ticket.tags'] = [...(client.values['ticket.tags'] ?? [])];
    Object.assign(client.values, saved);
    act(() => client.emit('ticket.submit.done'));
  };
  return { ledger, open, submit };
}

const posts = (client: FakeZafClient) =>
  client.requests.filter((r) => r.type === 'POST' && r.url.endsWith('/boucle_intervention/records'));

describe('Apply, then reload without Submit', () => {
  it('says what waits for Submit, then, after a reload, that nothing was saved, and re-applies without recording twice', async () => {
    const z = zendesk();
    const first = z.open();
    await screen.findByTestId('sidebar-ready', undefined, SLOW);
    expect(screen.getByTestId('apply-hint').textContent).toMatch(/saves it when you submit the ticket/);
    expect(first.requests).toHaveLength(3);
    fireEvent.click(screen.getByTestId('apply'));
    const pending = await screen.findByTestId('apply-done', undefined, SLOW);
    expect(pending.textContent).toMatch(/Not saved yet: submit the ticket/);
    expect(pending.textContent).toMatch(/reloading or leaving before Submit drops these changes/);
    // No second Apply while the first one waits for Submit.
    expect(screen.queryByTestId('apply')).toBeNull();
    expect(screen.queryByTestId('reapply')).toBeNull();
    expect(posts(first)).toHaveLength(1);
    const action = String(z.ledger[0]?.custom_object_fields.action);
    expect(first.sets[0]?.[INTERVENTION_FIELD]).toBe(`boucle_${action}`);

    // The agent reloads the page without submitting: the saved ticket has none of it, the ledger has the record.
    cleanup();
    const second = z.open();
    const notSaved = await screen.findByTestId('apply-not-saved', undefined, SLOW);
    expect(notSaved.textContent).toMatch(/Recorded on .*, but the ticket was not submitted afterwards/);
    expect(screen.getByTestId('loop-state').textContent).toMatch(/not saved on the ticket until Submit/);
    expect(screen.queryByTestId('apply')).toBeNull();
    expect(second.requests).toHaveLength(3);
    fireEvent.click(screen.getByTestId('reapply'));
    const refilled = await screen.findByTestId('apply-done', undefined, SLOW);
    expect(refilled.textContent).toMatch(/nothing is recorded twice/);
    expect(posts(second)).toHaveLength(0);
    expect(z.ledger).toHaveLength(1);
    expect(second.sets[0]?.[INTERVENTION_FIELD]).toBe(`boucle_${action}`);
    expect(second.invokes.some((i) => i.name === 'comment.appendText') || action === 'none').toBe(true);

    // Submitted: the saved ticket carries the intervention.
    z.submit(second);
    const done = await screen.findByTestId('apply-saved', undefined, SLOW);
    expect(done.textContent).toMatch(/and saved on the ticket/);
    expect(screen.getByTestId('loop-state').textContent).toMatch(/^Status: applied/);
    expect(screen.getByTestId('reapply').textContent).toBe('Fill the ticket again');
    expect(screen.getByTestId('apply-hint').textContent).toMatch(/not recorded a second time/);

    // And a later visit reads the same from Zendesk.
    cleanup();
    z.open();
    await screen.findByTestId('apply-saved', undefined, SLOW);
    expect(z.ledger).toHaveLength(1);
  });

  it('speaks French', async () => {
    const z = zendesk('fr-FR');
    z.open();
    await screen.findByTestId('sidebar-ready', undefined, SLOW);
    expect(screen.getByTestId('apply-hint').textContent).toMatch(/quand vous soumettez le ticket/);
    fireEvent.click(screen.getByTestId('apply'));
    expect((await screen.findByTestId('apply-done', undefined, SLOW)).textContent).toMatch(
      /Pas encore enregistré/,
    );
    cleanup();
    z.open();
    expect((await screen.findByTestId('apply-not-saved', undefined, SLOW)).textContent).toMatch(
      /Enregistré, mais pas sur le ticket/,
    );
    expect(screen.getByTestId('loop-state').textContent).toMatch(
      /pas sur le ticket tant qu'il n'est pas soumis/,
    );
    expect(screen.getByTestId('reapply').textContent).toBe('Remplir à nouveau le ticket');
    expect(z.ledger).toHaveLength(1);
  });
});

describe('applyStatusOf', () => {
  const record = {
    id: 'r1',
    ticketId: '4242',
    action: 'callback' as const,
    compensationTier: null,
    priority: 'high',
    expectedValue: null,
    cost: null,
    status: 'applied' as const,
    dueAt: null,
    outcome: null,
    overrideReason: null,
    decidedAt: '2026-11-22T09:00:00Z',
    summary: null,
  };
  const stored = (over: Partial<StoredTicket>): StoredTicket => ({
    tags: [],
    interventionField: null,
    hasInterventionField: true,
    callbackDueField: null,
    ...over,
  });

  it('reads the saved field when the ticket has it, else the saved tags', () => {
    expect(applyStatusOf(null, stored({}), null).kind).toBe('not-applied');
    expect(applyStatusOf(record, stored({}), null).kind).toBe('not-saved');
    expect(applyStatusOf(record, stored({ interventionField: 'boucle_callback' }), null).kind).toBe('saved');
    // The field says another action: this record is not what the ticket carries.
    expect(applyStatusOf(record, stored({ interventionField: 'boucle_apology' }), null).kind).toBe(
      'not-saved',
    );
    expect(
      applyStatusOf(record, stored({ hasInterventionField: false, tags: ['boucle_callback'] }), null).kind,
    ).toBe('saved');
    expect(
      applyStatusOf(record, stored({ hasInterventionField: false, tags: ['delivery'] }), null).kind,
    ).toBe('not-saved');
    const pending = { ticketId: 4242, action: 'callback' as const, recordId: 'r1', reapplied: false };
    expect(applyStatusOf(record, stored({}), pending).kind).toBe('pending');
  });
});
