import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeZafClient, json } from '../testing/fake-zaf-client.ts';
import { NOW, ticketValues, zendeskRoutes } from '../testing/fixtures.ts';
import { createZendeskApi } from '../zaf/zendesk-api.ts';
import { App } from './app.tsx';
import { firstViewWithin, prepareFirstView } from './first-view.ts';
import { startSidebar } from './start.ts';

function setup(
  options: {
    values?: Parameters<typeof ticketValues>[0];
    settings?: Record<string, unknown>;
    routes?: ReturnType<typeof zendeskRoutes>;
  } = {},
) {
  const client = new FakeZafClient(ticketValues(options.values), options.settings ?? {});
  client.routes.push(...(options.routes ?? zendeskRoutes()));
  const api = createZendeskApi(client, { sleep: () => Promise.resolve() });
  render(<App client={client} api={api} now={() => NOW} />);
  return client;
}

describe('App (ticket sidebar)', () => {
  it('shows the customer, feedback, effort and a recommendation with three parallel reads', async () => {
    const client = setup();
    expect(await screen.findByTestId('sidebar-ready')).toBeTruthy();
    expect(screen.getByTestId('customer-name').textContent).toBe('Camille Martin');
    expect(screen.getByTestId('customer-org').textContent).toBe('Maison Martin SARL');
    expect(screen.getByTestId('customer-tier').textContent).toBe('Gold');
    expect(screen.getByTestId('transactions').textContent).toContain('SO-1182');
    expect(screen.getByTestId('feedback-list').textContent).toContain('NPS 4');
    expect(screen.getByTestId('incidents-list').textContent).toContain('#3100');
    expect(screen.getByTestId('recommendation-action').textContent).not.toBe('');
    expect(screen.getByTestId('effort-class').textContent).toBe('Customer worked harder');
    expect(client.requests.map((r) => r.url)).toEqual([
      '/api/v2/users/501.json?include=organizations',
      '/api/v2/custom_objects/boucle_feedback/records/search?sort=-updated_at&page[size]=100',
      '/api/v2/custom_objects/boucle_intervention/records/search?sort=-updated_at&page[size]=100',
    ]);
  });

  it('renders the prepared first view at once: no loading state, no request beyond the three reads', async () => {
    const client = new FakeZafClient(ticketValues(), {});
    client.routes.push(...zendeskRoutes());
    const early = startSidebar(client);
    const view = await firstViewWithin(
      prepareFirstView(early, () => NOW),
      5_000,
    );
    expect(view?.state.kind).toBe('ready');
    expect(client.requests).toHaveLength(3);
    render(<App client={client} early={early} firstView={view} now={() => NOW} />);
    // Synchronously there, in the first commit: the decision was made before React rendered.
    expect(screen.getByTestId('sidebar-ready')).toBeTruthy();
    expect(screen.queryByTestId('loading')).toBeNull();
    expect(screen.getByTestId('recommendation-action').textContent).not.toBe('');
    act(() => client.emit('ticket.tags.changed', ['delivery']));
    await waitFor(() => expect(client.requests).toHaveLength(3));
    act(() => client.emit('ticket.submit.done'));
    await waitFor(() => expect(client.requests).toHaveLength(6));
  });

  it('falls back to its own loading state when the first view is not ready in time', async () => {
    const client = new FakeZafClient(ticketValues(), {});
    client.routes.push(...zendeskRoutes());
    const early = startSidebar(client);
    expect(await firstViewWithin(new Promise(() => undefined), 20)).toBeUndefined();
    expect(await firstViewWithin(Promise.reject(new Error('boom')), 5_000)).toBeUndefined();
    await early.requested;
    render(<App client={client} early={early} firstView={undefined} now={() => NOW} />);
    expect(await screen.findByTestId('sidebar-ready')).toBeTruthy();
    expect(client.requests).toHaveLength(3);
  });

  it('renders a comment containing HTML and script as inert text', async () => {
    setup();
    const comment = await screen.findByTestId('feedback-comment');
    expect(comment.textContent).toContain('<script>window.__pwned=2</script>');
    expect(comment.querySelector('script, img')).toBeNull();
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('re-reads the ticket on events without new requests for the same requester', async () => {
    const client = setup();
    await screen.findByTestId('sidebar-ready');
    act(() => {
      client.values['ticket.priority'] = 'urgent';
      client.emit('ticket.priority.changed', 'urgent');
      client.emit('ticket.tags.changed', ['delivery']);
    });
    await waitFor(() => expect(client.requests).toHaveLength(3));
    act(() => client.emit('ticket.submit.done'));
    await waitFor(() => expect(client.requests).toHaveLength(6));
  });

  it('shows empty states for a new customer without surveys', async () => {
    setup({
      routes: zendeskRoutes({
        user: { user: { id: 501, name: 'New Person', user_fields: {} }, organizations: [] },
        feedback: { custom_object_records: [] },
        interventions: { custom_object_records: [] },
      }),
    });
    expect(await screen.findByTestId('customer-empty')).toBeTruthy();
    expect(screen.getByTestId('feedback-empty')).toBeTruthy();
    expect(screen.getByTestId('incidents-empty')).toBeTruthy();
    expect(screen.getByTestId('effort-source').textContent).toBe('Estimated');
  });

  it('lists every bad setting and still shows the customer', async () => {
    setup({ settings: { costs_callback_minutes: 'twenty', rules: '[{"name": ' } });
    const panel = await screen.findByTestId('settings-error');
    const problems = within(panel)
      .getAllByTestId('settings-problem')
      .map((li) => li.textContent);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('costs_callback_minutes');
    expect(problems.join('\n')).toContain('rules');
    expect(await screen.findByTestId('customer-name')).toBeTruthy();
    expect(screen.queryByTestId('recommendation')).toBeNull();
  });

  it('shows the Zendesk API error with a retry', async () => {
    const client = setup({
      routes: [
        (r) =>
          r.url.startsWith('/api/v2/users/')
            ? json({ error: 'Forbidden', description: 'No access' }, 403)
            : undefined,
      ],
    });
    const alert = await screen.findByTestId('api-error');
    expect(alert.textContent).toContain('403');
    client.routes.unshift(...zendeskRoutes());
    fireEvent.click(within(alert).getByRole('button'));
    expect(await screen.findByTestId('sidebar-ready')).toBeTruthy();
  });

  it('speaks French when the agent does', async () => {
    setup({ values: { 'currentUser.locale': 'fr-FR' } });
    await screen.findByTestId('sidebar-ready');
    expect(screen.getByText('Intervention recommandée')).toBeTruthy();
    expect(screen.getByTestId('customer-tier').textContent).toBe('Or');
  });

  it('Apply records the intervention, then sets tags, priority and the draft reply', async () => {
    const client = setup();
    await screen.findByTestId('sidebar-ready');
    fireEvent.click(screen.getByTestId('apply'));
    await screen.findByTestId('apply-done');
    const post = client.requests.find(
      (r) => r.type === 'POST' && r.url.endsWith('/boucle_intervention/records'),
    );
    const record = (
      JSON.parse(post?.data ?? '{}') as {
        custom_object_record: { custom_object_fields: Record<string, unknown> };
      }
    ).custom_object_record.custom_object_fields;
    expect(record).toMatchObject({ ticket_id: '4242', user: '501', status: 'applied' });
    const tags = client.invokes.find((i) => i.name === 'ticket.tags.add');
    expect(tags?.args[0]).toContain(`boucle_${String(record.action)}`);
    expect(client.sets[0]?.['ticket.priority']).toBe(record.priority);
    const draft = client.invokes.find((i) => i.name === 'comment.appendText');
    if (record.action === 'none') expect(draft).toBeUndefined();
    else expect(draft?.args[0]).toMatch(/^Bonjour Camille/);
  });

  it('records an override with its reason, and asks for the reason first', async () => {
    const client = setup();
    await screen.findByTestId('sidebar-ready');
    fireEvent.click(screen.getByTestId('override'));
    fireEvent.change(screen.getByTestId('override-action'), { target: { value: 'callback' } });
    fireEvent.click(screen.getByTestId('override-submit'));
    expect(screen.getByText('Say why you override the recommendation.')).toBeTruthy();
    fireEvent.change(screen.getByTestId('override-reason'), {
      target: { value: 'Customer asked for a call' },
    });
    fireEvent.click(screen.getByTestId('override-submit'));
    await screen.findByTestId('apply-done');
    const post = client.requests.find(
      (r) => r.type === 'POST' && r.url.endsWith('/boucle_intervention/records'),
    );
    expect(post?.data).toContain('"override_reason":"Customer asked for a call"');
    expect(post?.data).toContain('"status":"overridden"');
    expect(post?.data).toContain('"action":"callback"');
    expect(client.sets[0]?.['ticket.customField:custom_field_77']).toMatch(/^2026-/);
  });
});
