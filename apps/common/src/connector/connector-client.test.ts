// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { ZafClient, ZafHttpResponse, ZafRequestOptions } from '../zaf/zaf-client.ts';
import { CONNECTOR_TOKEN_PLACEHOLDER, createConnectorClient } from './connector-client.ts';

function fakeClient(answer: (options: ZafRequestOptions) => ZafHttpResponse) {
  const requests: ZafRequestOptions[] = [];
  const client = {
    request: (options: ZafRequestOptions) => {
      requests.push(options);
      return Promise.resolve(answer(options));
    },
  } as unknown as ZafClient;
  return { client, requests };
}

describe('the connector client (through ZAF’s proxy)', () => {
  it('asks with the secure token placeholder, never a token, and returns the JSON', async () => {
    const { client, requests } = fakeClient(() => ({ status: 200, responseJSON: { signs: [] } }));
    const connector = createConnectorClient(client, 'https://boucle.example.com/');
    expect(await connector.get('/api/v1/signals', { by: 'region', from: undefined })).toEqual({
      ok: true,
      value: { signs: [] },
    });
    expect(requests[0]).toMatchObject({
      url: 'https://boucle.example.com/api/v1/signals?by=region',
      type: 'GET',
      secure: true,
      headers: { Authorization: `Bearer ${CONNECTOR_TOKEN_PLACEHOLDER}` },
    });
    await connector.post('/api/v1/callbacks/7/done', { by: 'Ana' });
    expect(requests[1]).toMatchObject({
      type: 'POST',
      contentType: 'application/json',
      data: '{"by":"Ana"}',
    });
  });

  it.each([
    [0, 'unreachable'],
    [502, 'unreachable'],
    [401, 'unauthorised'],
    [403, 'unauthorised'],
    [404, 'not_found'],
    [400, 'invalid'],
    [500, 'server'],
  ] as const)('sorts a %i into %s, with the connector’s message', async (status, kind) => {
    const { client } = fakeClient(() => ({
      status,
      responseText: JSON.stringify({ error: 'x', message: `said ${status}` }),
    }));
    const result = await createConnectorClient(client, 'https://c.example').get('/api/v1/funnel');
    expect(result).toEqual({ ok: false, kind, status, message: `said ${status}` });
  });

  it('says the app is not set up when connector_url is missing, without asking', async () => {
    const { client, requests } = fakeClient(() => ({ status: 200 }));
    expect(await createConnectorClient(client, undefined).get('/api/v1/funnel')).toMatchObject({
      ok: false,
      kind: 'setup',
    });
    expect(requests).toHaveLength(0);
  });
});
