import { describe, expect, it } from 'vitest';
import { ZafHost } from './zaf-host.ts';
import type { ZafHostHandlers } from './zaf-host.ts';

function setup(overrides: Partial<ZafHostHandlers> = {}) {
  const sent: Record<string, unknown>[] = [];
  let registered = 0;
  const host = new ZafHost({
    post: (m) => sent.push(m as Record<string, unknown>),
    registration: { metadata: { settings: { a: 1 } }, context: { location: 'ticket_sidebar' } },
    onRegistered: () => (registered += 1),
    now: () => 0,
    handlers: {
      get: (paths) => ({ values: Object.fromEntries(paths.map((p) => [p, `v:${p}`])), errors: {} }),
      set: (values) => ({ values: { ...values }, errors: {} }),
      invoke: (calls) => ({
        values: Object.fromEntries(Object.keys(calls).map((k) => [k, calls[k]])),
        errors: {},
      }),
      request: (options) =>
        Promise.resolve({ ok: options['url'] === '/ok', responseArgs: [{ url: options['url'] }] }),
      ...overrides,
    },
  });
  return { host, sent, registered: () => registered };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ZafHost', () => {
  it('answers the handshake with app.registered and tracks subscriptions', () => {
    const { host, sent, registered } = setup();
    host.receive(JSON.stringify({ key: 'iframe.handshake', message: { version: '2.0.9' }, appGuid: 'g' }));
    expect(sent).toEqual([
      {
        key: 'zaf.app.registered',
        message: { metadata: { settings: { a: 1 } }, context: { location: 'ticket_sidebar' } },
      },
    ]);
    expect(registered()).toBe(1);
    host.receive(JSON.stringify({ key: 'iframe.on:ticket.save', message: { subscriberCount: 1 } }));
    expect(host.isSubscribed('ticket.save')).toBe(true);
    host.receive(JSON.stringify({ key: 'iframe.off:ticket.save', message: { subscriberCount: 0 } }));
    expect(host.subscriptions()).toEqual({ 'ticket.save': 0 });
  });

  it('replies to get/set/invoke by id with an errors map, and to unknown requests with an error', async () => {
    const { host, sent } = setup();
    host.receive(JSON.stringify({ id: 1, request: 'get', params: ['ticket.id'] }));
    host.receive(JSON.stringify({ id: 2, request: 'invoke', params: { 'ticket.tags.add': [['a', 'b']] } }));
    host.receive(JSON.stringify({ id: 3, request: 'destroy', params: {} }));
    await tick();
    expect(sent.map((m) => m['id'])).toEqual([1, 3, 2]); // invoke may be async: replies match by id
    expect(sent).toEqual([
      { id: 1, result: { 'ticket.id': 'v:ticket.id', errors: {} } },
      {
        id: 3,
        error: { name: 'UnknownRequest', message: 'Unknown request "destroy": use get, set or invoke' },
      },
      { id: 2, result: { 'ticket.tags.add': [['a', 'b']], errors: {} } },
    ]);
  });

  it('turns request:K into zaf.request:K.done or .fail', async () => {
    const { host, sent } = setup();
    host.receive(JSON.stringify({ key: 'request:1', message: { url: '/ok' } }));
    host.receive(JSON.stringify({ key: 'request:2', message: { url: '/ko' } }));
    await tick();
    expect(sent).toEqual([
      { key: 'zaf.request:1.done', message: { responseArgs: [{ url: '/ok' }] } },
      { key: 'zaf.request:2.fail', message: { responseArgs: [{ url: '/ko' }] } },
    ]);
  });

  it('fires hooks only to subscribers and reads the verdict from iframe.reply', async () => {
    const { host, sent } = setup();
    expect(await host.fireHook('ticket.save', 1000)).toEqual({ blocked: false });
    expect(sent).toEqual([]);
    host.receive(JSON.stringify({ key: 'iframe.on:ticket.save', message: { subscriberCount: 1 } }));
    const blocked = host.fireHook('ticket.save', 1000);
    expect(sent).toEqual([{ key: 'zaf.ticket.save', needsReply: true }]);
    host.receive({ key: 'iframe.reply:ticket.save', error: { msg: 'Blocked by app' } });
    expect(await blocked).toEqual({ blocked: true, message: 'Blocked by app' });
    const allowed = host.fireHook('ticket.save', 1000);
    host.receive({ key: 'iframe.reply:ticket.save' });
    expect(await allowed).toEqual({ blocked: false });
    expect(await host.fireHook('ticket.save', 5)).toEqual({
      blocked: true,
      message: 'The app did not answer ticket.save within 0 s.',
    });
  });

  it('logs deep copies of both directions and ignores garbage', () => {
    const { host } = setup();
    const params = ['a'];
    host.receive({ id: 1, request: 'get', params });
    params.push('mutated');
    host.receive('not json');
    host.emit('ticket.priority.changed', 'high');
    const log = host.log();
    expect(log.map((e) => e.dir)).toEqual(['in', 'out', 'out']);
    expect(log[0]!.message).toEqual({ id: 1, request: 'get', params: ['a'] });
    expect(log[1]!.message).toEqual({ id: 1, result: { a: 'v:a', errors: {} } });
    expect(log[2]!.message).toEqual({ key: 'zaf.ticket.priority.changed', message: 'high' });
  });
});
