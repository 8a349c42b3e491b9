import { describe, expect, it } from 'vitest';
import {
  initZafClient,
  toHttpResponse,
  wrapZafClient,
  ZafUnavailableError,
  type RawZafClient,
} from './zaf-client.ts';

function raw(overrides: Partial<RawZafClient> = {}): RawZafClient & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    context: () => Promise.resolve({ location: 'ticket_sidebar' }),
    metadata: () => Promise.resolve({ settings: {} }),
    get: (paths) =>
      Promise.resolve({ 'ticket.id': 7, errors: { [paths[1] ?? '']: { message: 'No such API' } } }),
    set: (values) => {
      calls.push(['set', values]);
      return Promise.resolve({});
    },
    invoke: (name, ...args) => {
      calls.push(['invoke', name, ...args]);
      return Promise.resolve({});
    },
    on: (event) => calls.push(['on', event]),
    off: (event) => calls.push(['off', event]),
    request: () =>
      Promise.resolve({ status: 200, responseJSON: { ok: true }, headers: { 'Retry-After': '3' } }),
    ...overrides,
  };
}

describe('the ZAF adapter', () => {
  it('fails clearly outside Zendesk', () => {
    expect(() => initZafClient(undefined)).toThrow(ZafUnavailableError);
    expect(() => initZafClient({ init: () => false })).toThrow(/must be opened by Zendesk/);
  });

  it('splits a bulk get into values and per-path errors', async () => {
    const client = wrapZafClient(raw());
    await expect(client.get(['ticket.id', 'ticket.subject'])).resolves.toEqual({
      values: { 'ticket.id': 7 },
      errors: { 'ticket.subject': 'No such API' },
    });
  });

  it('passes invoke arguments as the SDK expects (an array argument stays one argument)', async () => {
    const r = raw();
    const client = wrapZafClient(r);
    await client.invoke({ name: 'ticket.tags.add', args: [['boucle_callback', 'boucle_follow_up']] });
    await client.invoke({ name: 'resize', args: [{ width: '100%', height: '400px' }] });
    expect(r.calls).toEqual([
      ['invoke', 'ticket.tags.add', ['boucle_callback', 'boucle_follow_up']],
      ['invoke', 'resize', { width: '100%', height: '400px' }],
    ]);
  });

  it('unsubscribes with the function `on` returns', () => {
    const r = raw();
    const off = wrapZafClient(r).on('ticket.tags.changed', () => undefined);
    off();
    expect(r.calls).toEqual([
      ['on', 'ticket.tags.changed'],
      ['off', 'ticket.tags.changed'],
    ]);
  });

  it('normalises complete responses and failures, with lower-case headers', async () => {
    const ok = await wrapZafClient(raw()).request({ url: '/api/v2/x' });
    expect(ok).toEqual({ status: 200, responseJSON: { ok: true }, headers: { 'retry-after': '3' } });
    const failed = await wrapZafClient(
      raw({
        request: () =>
          Promise.reject(
            // The SDK rejects with a jqXHR-like object; an Error carrying the same fields stands in for it.
            Object.assign(new Error('rate limited'), {
              status: 429,
              responseText: 'slow down',
              getResponseHeader: () => '9',
            }),
          ),
      }),
    ).request({ url: '/api/v2/x' });
    expect(failed).toEqual({ status: 429, responseText: 'slow down', headers: { 'retry-after': '9' } });
    expect(toHttpResponse(new Error('network down'))).toEqual({ status: 0, responseText: 'network down' });
  });
});
