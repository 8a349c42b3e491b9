import { describe, expect, it } from 'vitest';
import { openStore } from '../store/database.ts';
import { sqliteSql } from '../store/sql.ts';
import { Mirror } from './mirror.ts';
import { computeProfiles, crmFields, payloadHash, valueTier, windowStart } from './profile.ts';
import { toMirrorRow } from './records.ts';
import { SYNC_SCHEMA } from './schema.ts';

const mapping = {
  accountSegment: 'Industry',
  accountRegion: 'BillingCountry',
  accountProductLine: undefined,
  accountMarginRate: undefined,
  opportunityAmount: 'Amount',
  orderAmount: 'TotalAmount',
  orderDate: 'EffectiveDate',
};
const settings = {
  tiers: { platinum: 100_000, gold: 25_000, silver: 5000 },
  pipelineWeight: 0.25,
  recentTransactions: 2,
  currency: 'EUR',
};

describe('value profile', () => {
  it('aggregates won opportunities and activated orders from the mirror, REST and Bulk shapes alike', async () => {
    const store = openStore(':memory:', [SYNC_SCHEMA]);
    const mirror = new Mirror(sqliteSql(store));
    const put = (
      object: 'Account' | 'Opportunity' | 'Order',
      record: Record<string, unknown>,
    ): Promise<boolean> =>
      mirror.put(
        toMirrorRow(object, { SystemModstamp: '2026-11-01T00:00:00.000+0000', ...record }, mapping),
        1,
      );
    await put('Account', {
      Id: 'A1',
      Name: 'Acme',
      CreatedDate: '2020-01-05T10:00:00.000+0000',
      Industry: 'Retail',
    });
    // Bulk CSV: strings everywhere
    await put('Opportunity', {
      Id: 'O1',
      AccountId: 'A1',
      Amount: '30000',
      CloseDate: '2026-06-01',
      IsWon: 'true',
      IsClosed: 'true',
      StageName: 'Closed Won',
    });
    await put('Opportunity', {
      Id: 'O2',
      AccountId: 'A1',
      Amount: 8000,
      CloseDate: '2026-12-01',
      IsWon: false,
      IsClosed: false,
      StageName: 'Proposal',
    });
    await put('Opportunity', {
      Id: 'O3',
      AccountId: 'A1',
      Amount: 5000,
      CloseDate: '2026-05-01',
      IsWon: false,
      IsClosed: true,
      StageName: 'Closed Lost',
    });
    await put('Order', {
      Id: 'R1',
      AccountId: 'A1',
      TotalAmount: 1000,
      EffectiveDate: '2024-02-01',
      StatusCode: 'Activated',
      OrderNumber: '00000100',
    });
    await put('Order', {
      Id: 'R2',
      AccountId: 'A1',
      TotalAmount: 999,
      EffectiveDate: '2026-10-01',
      StatusCode: 'Draft',
      OrderNumber: '00000101',
    });

    const profiles = await computeProfiles(sqliteSql(store), ['A1', 'gone'], '2026-11-22', settings);
    expect([...profiles.keys()]).toEqual(['A1']);
    const p = profiles.get('A1')!;
    expect(p).toMatchObject({
      lifetimeRevenue: 31_000,
      revenue12m: 30_000,
      orders12m: 1,
      lastOrderDate: '2026-06-01',
      openPipeline: 8000,
      customerSince: '2020-01-05',
      segment: 'Retail',
      tier: 'gold', // 30000 + 0.25 × 8000 = 32000 ≥ 25000
    });
    expect(p.recentTransactions.map((t) => t.id)).toEqual(['O2', 'R2']);
    expect(crmFields(p).boucle_value_tier).toBe('gold');

    // the same row again changes nothing; a real change marks the account dirty
    store.db.exec('DELETE FROM sync_dirty');
    expect(
      await put('Order', {
        Id: 'R2',
        AccountId: 'A1',
        TotalAmount: 999,
        EffectiveDate: '2026-10-01',
        StatusCode: 'Draft',
        OrderNumber: '00000101',
      }),
    ).toBe(false);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM sync_dirty').get()).toEqual({ n: 0 });
    expect(await mirror.remove('Order', 'R1')).toBe(true);
    expect(store.db.prepare('SELECT account_id FROM sync_dirty').all()).toEqual([{ account_id: 'A1' }]);
    store.close();
  });

  it('tiers, windows and hashes', () => {
    expect(valueTier(100_000, 0, settings)).toBe('platinum');
    expect(valueTier(4000, 4000, settings)).toBe('silver');
    expect(valueTier(0, 0, settings)).toBe('bronze');
    expect(windowStart('2026-11-22')).toBe('2025-11-23');
    expect(payloadHash({ b: 1, a: [1, { y: 2, x: null }] })).toBe(
      payloadHash({ a: [1, { x: null, y: 2 }], b: 1 }),
    );
    expect(payloadHash({ a: 1 })).not.toBe(payloadHash({ a: 2 }));
  });
});
