import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startZendeskEmulator, type ZendeskEmulator } from './index.ts';
import { renderPlaceholders, signWebhook } from './triggers.ts';

let emu: ZendeskEmulator | undefined;
let receiver: Server | undefined;
const bodies: string[] = [];

afterEach(async () => {
  await emu?.close();
  emu = undefined;
  await new Promise((resolve) => (receiver === undefined ? resolve(undefined) : receiver.close(resolve)));
  receiver = undefined;
  bodies.length = 0;
});

/** A webhook receiver on port 0 that answers with the given statuses in turn (then 200), or hangs when 'hang'. */
async function listen(answers: (number | 'hang')[] = []): Promise<string> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      const answer = answers.shift() ?? 200;
      if (answer !== 'hang') res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}

async function withTrigger(
  conditions: { all?: unknown[]; any?: unknown[] },
  template: string,
  options: Parameters<typeof startZendeskEmulator>[0] = {},
  answers: (number | 'hang')[] = [],
): Promise<ZendeskEmulator> {
  const endpoint = await listen(answers);
  emu = await startZendeskEmulator({
    seed: 2,
    counts: { users: 8, organizations: 3, tickets: 6 },
    webhookRetryDelaysMs: [5, 5],
    ...options,
  });
  const admin = [...emu.store.users.values()].find((u) => u.role === 'admin');
  if (admin === undefined) throw new Error('no admin');
  const webhook = emu.store.createWebhook(
    {
      name: 'Boucle',
      status: 'active',
      endpoint,
      http_method: 'POST',
      request_format: 'json',
      subscriptions: ['conditional_ticket_events'],
    },
    admin,
  );
  emu.store.createTrigger({
    title: 'Boucle test trigger',
    conditions: { all: conditions.all ?? [], any: conditions.any ?? [] },
    actions: [{ field: 'notification_webhook', value: [webhook.id, template] }],
  });
  return emu;
}

const openTicket = (e: ZendeskEmulator): number => {
  const ticket = [...e.store.tickets.values()].find((t) => t.status !== 'closed' && t.status !== 'solved');
  if (ticket === undefined) throw new Error('no open ticket in the seed');
  return ticket.id;
};

describe('triggers', () => {
  it('fires on a satisfaction rating with a comment and renders the rating placeholders', async () => {
    const e = await withTrigger(
      { all: [{ field: 'satisfaction_score', operator: 'value', value: 'bad_with_comment' }] },
      '{"ticket": {{ticket.id}}, "rating": "{{satisfaction.current_rating}}", "comment": "{{satisfaction.current_comment}}", "requester": "{{ticket.requester.external_id}}"}',
    );
    const id = openTicket(e);
    await e.rateTicket(id, 'good', 'fine');
    await e.rateTicket(id, 'bad', 'Toujours pas "résolu"');
    await e.settle();
    expect(bodies).toHaveLength(1);
    const requester = e.store.user(e.store.ticket(id).requester_id);
    expect(JSON.parse(bodies[0] ?? '')).toEqual({
      ticket: id,
      rating: "Bad, I'm unsatisfied",
      comment: 'Toujours pas "résolu"',
      requester: requester.external_id ?? '',
    });
  });

  it('distinguishes public replies from internal notes and matches current tags (any)', async () => {
    const e = await withTrigger(
      {
        all: [{ field: 'comment_is_public', operator: 'is', value: 'true' }],
        any: [{ field: 'current_tags', operator: 'includes', value: 'boucle_callback vip' }],
      },
      '{{ticket.latest_public_comment}}',
    );
    const id = openTicket(e);
    await e.applyTicketChange(id, { comment: { body: 'note', public: false }, additional_tags: ['vip'] });
    await e.applyTicketChange(id, { comment: { body: 'public without tag' }, remove_tags: ['vip'] });
    await e.applyTicketChange(id, {
      comment: { body: 'public with tag' },
      additional_tags: ['boucle_callback'],
    });
    await e.settle();
    expect(bodies).toEqual(['public with tag']);
  });

  it('runs the cycle again after a trigger changes the ticket, each trigger at most once', async () => {
    const e = await withTrigger(
      { all: [{ field: 'priority', operator: 'is', value: 'urgent' }] },
      '{{ticket.tags}}',
    );
    e.store.createTrigger({
      title: 'Escalate',
      position: 0,
      conditions: {
        all: [
          { field: 'status', operator: 'changed', value: null },
          { field: 'status', operator: 'is', value: 'hold' },
        ],
        any: [],
      },
      actions: [
        { field: 'priority', value: 'urgent' },
        { field: 'current_tags', value: 'escalated' },
      ],
    });
    const id = openTicket(e);
    const result = await e.applyTicketChange(id, { status: 'hold' });
    await e.settle();
    expect(result.ticket.priority).toBe('urgent');
    expect(result.ticket.tags).toContain('escalated');
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain('escalated');
    expect(result.audit.events.filter((ev) => ev.type === 'Notification')).toHaveLength(2);
  });

  it('fires on ticket creation through the REST API (update_type Create)', async () => {
    const e = await withTrigger(
      { all: [{ field: 'update_type', operator: 'is', value: 'Create' }] },
      '{{ticket.title}}|{{ticket.status}}',
    );
    const admin = [...e.store.users.values()].find((u) => u.role === 'admin');
    const auth = `Basic ${Buffer.from(`${admin?.email ?? ''}/token:${admin?.credentials?.apiToken ?? ''}`).toString('base64')}`;
    const res = await fetch(`${e.url}/api/v2/tickets.json`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        ticket: {
          subject: 'Colis perdu',
          comment: { body: 'Où est mon colis ?' },
          requester: { name: 'Zoé', email: 'zoe@example.test' },
        },
      }),
    });
    expect(res.status).toBe(201);
    await e.settle();
    expect(bodies).toEqual(['Colis perdu|New']);
  });

  it('sends ticket events to a webhook subscribed to them, signed, one event per change', async () => {
    const endpoint = await listen();
    emu = await startZendeskEmulator({ seed: 2, counts: { users: 8, organizations: 3, tickets: 6 } });
    const admin = [...emu.store.users.values()].find((u) => u.role === 'admin');
    if (admin === undefined) throw new Error('no admin');
    const webhook = emu.store.createWebhook(
      {
        name: 'Boucle events',
        status: 'active',
        endpoint,
        http_method: 'POST',
        request_format: 'json',
        subscriptions: ['zen:event-type:ticket.status_changed', 'zen:event-type:ticket.comment_added'],
      },
      admin,
    );
    const id = openTicket(emu);
    const before = emu.store.ticket(id).status.toUpperCase();
    await emu.applyTicketChange(id, { status: 'solved', comment: { body: 'Réglé, merci.' } });
    await emu.applyTicketChange(id, { additional_tags: ['vip'] }); // tags_changed: not subscribed
    await emu.settle();
    const events = bodies.map((body) => JSON.parse(body) as Record<string, unknown>);
    expect(events.map((event) => event.type)).toEqual([
      'zen:event-type:ticket.status_changed',
      'zen:event-type:ticket.comment_added',
    ]);
    expect(events[0]).toMatchObject({
      account_id: 10_000_001,
      subject: `zen:ticket:${id}`,
      zendesk_event_version: '2022-11-06',
      detail: { id: String(id), status: 'SOLVED' },
      event: { current: 'SOLVED', previous: before, meta: { sequence: { position: 1 } } },
    });
    expect(events[1]).toMatchObject({ event: { comment: { body: 'Réglé, merci.', is_public: true } } });
    expect(new Set(events.map((event) => event.id)).size).toBe(2);
    const delivery = emu.webhookDeliveries().find((d) => d.body === bodies[0]);
    expect(delivery?.headers['x-zendesk-webhook-signature']).toBe(
      signWebhook(
        webhook.signing_secret.secret,
        delivery?.headers['x-zendesk-webhook-signature-timestamp'] ?? '',
        bodies[0] ?? '',
      ),
    );
  });

  it('refuses event subscriptions mixed with trigger events, or on anything but POST + JSON', async () => {
    emu = await startZendeskEmulator({ seed: 2, counts: { users: 8, organizations: 3, tickets: 1 } });
    const admin = [...emu.store.users.values()].find((u) => u.role === 'admin');
    if (admin === undefined) throw new Error('no admin');
    const base = {
      name: 'x',
      status: 'active',
      endpoint: 'http://127.0.0.1:1/hook',
      http_method: 'POST',
      request_format: 'json',
    };
    const create = (extra: Record<string, unknown>) => () =>
      emu?.store.createWebhook({ ...base, ...extra }, admin);
    expect(
      create({ subscriptions: ['conditional_ticket_events', 'zen:event-type:ticket.created'] }),
    ).toThrow();
    expect(create({ http_method: 'PUT', subscriptions: ['zen:event-type:ticket.created'] })).toThrow();
    expect(create({ subscriptions: ['zen:event-type:ticket.created'] })()).toMatchObject({
      status: 'active',
    });
  });

  it('retries a delivery that times out, then gives up and logs every attempt', async () => {
    const e = await withTrigger(
      { all: [{ field: 'status', operator: 'value', value: 'pending' }] },
      '{}',
      { webhookTimeoutMs: 50 },
      ['hang', 'hang', 'hang'],
    );
    await e.applyTicketChange(openTicket(e), { status: 'pending' });
    await e.settle();
    const [delivery] = e.webhookDeliveries();
    expect(delivery?.outcome).toBe('failed');
    expect(delivery?.attempts).toHaveLength(3);
    expect(delivery?.attempts[0]?.error).toMatch(/timed out/);
  });

  it('escapes placeholder values for JSON bodies and leaves unknown non-ticket placeholders alone', async () => {
    emu = await startZendeskEmulator({ seed: 2, counts: { users: 4, organizations: 1, tickets: 2 } });
    const ticket = [...emu.store.tickets.values()][0];
    if (ticket === undefined) throw new Error('no ticket');
    const admin = [...emu.store.users.values()].find((u) => u.role === 'admin');
    if (admin === undefined) throw new Error('no admin');
    emu.store.updateTicket(ticket.id, { comment: { body: 'line 1\n"quoted" <b>' } }, admin);
    const rendered = renderPlaceholders(
      emu.store,
      '{"c":"{{ticket.latest_comment}}","x":"{{current_user.name}}","y":"{{ticket.nope}}"}',
      emu.store.ticket(ticket.id),
      emu.url,
      'json',
    );
    expect(JSON.parse(rendered)).toEqual({ c: 'line 1\n"quoted" <b>', x: '{{current_user.name}}', y: '' });
  });
});

describe('--data DIR', () => {
  it('loads JSON files instead of generating, and reports an invalid record with its file and position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zendesk-data-'));
    try {
      writeFileSync(
        join(dir, 'organizations.json'),
        JSON.stringify([{ id: 500, name: 'Acme', external_id: '0015g00000AcmeAAAA' }]),
      );
      writeFileSync(
        join(dir, 'users.json'),
        JSON.stringify({ users: [{ id: 600, name: 'Jo', email: 'jo@acme.test', organization_id: 500 }] }),
      );
      writeFileSync(
        join(dir, 'tickets.json'),
        JSON.stringify([
          {
            id: 77,
            subject: 'Hi',
            requester_id: 600,
            comment: { body: 'Hello' },
            comments: [{ body: 'Again', author_id: 600 }],
          },
        ]),
      );
      emu = await startZendeskEmulator({ dataDir: dir });
      expect(emu.getOrganization(500)['external_id']).toBe('0015g00000AcmeAAAA');
      expect(emu.store.ticketComments(77).map((c) => c.body)).toEqual(['Hello', 'Again']);
      expect(emu.store.findUserByEmail('admin@boucle-sandbox.test')?.role).toBe('admin');
      await emu.close();
      emu = undefined;
      writeFileSync(join(dir, 'users.json'), JSON.stringify([{ name: 'No mail', email: 'nope' }]));
      await expect(startZendeskEmulator({ dataDir: dir })).rejects.toThrow(
        /users\.json item 0: .*not properly formatted/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
