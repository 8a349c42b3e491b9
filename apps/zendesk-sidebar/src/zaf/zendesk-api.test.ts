import { describe, expect, it } from 'vitest';
import { FakeZafClient, json } from '../testing/fake-zaf-client.ts';
import { createZendeskApi, retryAfterSeconds, ZendeskApiError } from './zendesk-api.ts';

function rateLimitedThen(times: number, retryAfter = '2') {
  const client = new FakeZafClient({});
  let calls = 0;
  client.routes.push(() => {
    calls += 1;
    return calls <= times
      ? { status: 429, responseText: '{"error":"TooManyRequests"}', headers: { 'retry-after': retryAfter } }
      : json({ user: { id: 1 } });
  });
  const waits: number[] = [];
  const api = createZendeskApi(client, {
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  return { client, api, waits };
}

describe('createZendeskApi', () => {
  it('retries a 429 after Retry-After, then succeeds', async () => {
    const { api, waits, client } = rateLimitedThen(1);
    await expect(api.getJson('/api/v2/users/1.json')).resolves.toEqual({ user: { id: 1 } });
    expect(waits).toEqual([2000]);
    expect(client.requests).toHaveLength(2);
    expect(client.requests[0]).toMatchObject({ autoRetry: false, type: 'GET' });
  });

  it('gives up after two retries with a RATE_LIMITED error', async () => {
    const { api, waits } = rateLimitedThen(5);
    const error = await api.getJson('/api/v2/users/1.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZendeskApiError);
    expect((error as ZendeskApiError).code).toBe('RATE_LIMITED');
    expect(waits).toEqual([2000, 2000]);
  });

  it.each([
    [
      403,
      { error: 'Forbidden', description: 'You do not have access' },
      'FORBIDDEN',
      'Forbidden — You do not have access',
    ],
    [404, { error: 'RecordNotFound' }, 'NOT_FOUND', 'RecordNotFound'],
    [
      422,
      { errors: [{ title: 'Invalid', detail: 'action is not an option' }] },
      'INVALID',
      'action is not an option',
    ],
    [503, undefined, 'UNAVAILABLE', 'no response'],
  ] as const)('maps %i to %s with the detail', async (status, body, code, detail) => {
    const client = new FakeZafClient({});
    client.routes.push(() => (body ? json(body, status) : { status }));
    const error = (await createZendeskApi(client)
      .sendJson('POST', '/api/v2/x', {})
      .catch((e: unknown) => e)) as ZendeskApiError;
    expect(error.code).toBe(code);
    expect(error.message).toContain(detail);
    expect(error.message).toContain(String(status));
  });

  it('sends JSON bodies', async () => {
    const client = new FakeZafClient({});
    client.routes.push(() => json({}, 201));
    await createZendeskApi(client).sendJson('POST', '/api/v2/x', { a: 1 });
    expect(client.requests[0]).toMatchObject({
      type: 'POST',
      contentType: 'application/json',
      data: '{"a":1}',
    });
  });

  it.each([
    [{ 'retry-after': '7' }, 7],
    [{ 'retry-after': '0.2' }, 1],
    [{ 'retry-after': '3600' }, 60],
    [{}, 1],
  ])('reads Retry-After %j as %i s', (headers, seconds) => {
    expect(retryAfterSeconds({ status: 429, headers })).toBe(seconds);
  });
});
