import { describe, expect, it } from 'vitest';
import { FakeZafClient, json } from '../testing/fake-zaf-client.ts';
import { zendeskRoutes } from '../testing/fixtures.ts';
import { createZendeskApi } from '../zaf/zendesk-api.ts';
import {
  createRequesterCache,
  loadRequesterData,
  newestFirst,
  requesterRequests,
} from './load-requester-data.ts';

describe('loadRequesterData', () => {
  it('reads the user, their feedback and interventions, parsed and sorted', async () => {
    const client = new FakeZafClient({});
    client.routes.push(...zendeskRoutes());
    const data = await loadRequesterData(createZendeskApi(client), 501);
    expect(data.organization).toEqual({ id: 88, name: 'Maison Martin SARL' });
    expect(data.crm).toMatchObject({ valueTier: 'gold', lifetimeRevenue: 182000, revenue12m: 46000 });
    expect(data.crm?.recentTransactions.map((t) => t.kind)).toEqual(['order', 'opportunity']);
    expect(data.feedback.map((f) => f.kind)).toEqual(['ces', 'nps']);
    expect(data.interventions[0]).toMatchObject({ action: 'apology', status: 'closed', outcome: 'resolved' });
    const search = client.requests.find((r) => r.url.includes('boucle_feedback'));
    expect(JSON.parse(search?.data ?? '{}')).toEqual(requesterRequests(501).feedback.body);
    expect(requesterRequests(501).feedback.body).toEqual({
      filter: { 'custom_object_fields.user': { $eq: '501' } },
    });
  });

  it('keeps what loaded when a custom object read fails', async () => {
    const client = new FakeZafClient({});
    client.routes.push(
      (r) => (r.url.includes('boucle_feedback') ? json({ error: 'InvalidEndpoint' }, 404) : undefined),
      ...zendeskRoutes(),
    );
    const data = await loadRequesterData(createZendeskApi(client), 501);
    expect(data.feedback).toEqual([]);
    expect(data.partialErrors).toHaveLength(1);
    expect(data.partialErrors[0]).toContain('404');
    expect(data.interventions).toHaveLength(1);
  });

  it('skips records it cannot read instead of failing', async () => {
    const client = new FakeZafClient({});
    client.routes.push(
      ...zendeskRoutes({
        feedback: { custom_object_records: [{ id: 'x', custom_object_fields: { kind: 'mood', score: 3 } }] },
        interventions: { custom_object_records: [{ id: 'y', custom_object_fields: { action: 'teleport' } }] },
      }),
    );
    const data = await loadRequesterData(createZendeskApi(client), 501);
    expect(data.feedback).toEqual([]);
    expect(data.interventions).toEqual([]);
  });
});

describe('createRequesterCache', () => {
  it('loads each requester once, and retries after a failure', async () => {
    const loads: number[] = [];
    let fail = true;
    const cache = createRequesterCache((id) => {
      loads.push(id);
      if (fail) {
        fail = false;
        return Promise.reject(new Error('boom'));
      }
      return Promise.resolve({ id } as never);
    });
    await expect(cache.get(1)).rejects.toThrow('boom');
    await cache.get(1);
    await cache.get(1);
    await cache.get(2);
    expect(loads).toEqual([1, 1, 2]);
  });
});

describe('newestFirst', () => {
  it('orders instants by time, whatever their offsets, and undated ones last', () => {
    const dates = ['2026-11-20T09:00:00Z', null, '2026-11-20T10:30:00+02:00', 'not a date', '2026-11-21'];
    expect([...dates].sort(newestFirst)).toEqual([
      '2026-11-21',
      '2026-11-20T09:00:00Z',
      '2026-11-20T10:30:00+02:00',
      null,
      'not a date',
    ]);
  });
});
