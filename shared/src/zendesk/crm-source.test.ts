import { describe, expect, it } from 'vitest';
import { crmSourceOf } from './crm-source.ts';

describe('crmSourceOf', () => {
  it('is the organisation when the sync wrote its profile there, else the user', () => {
    expect(crmSourceOf({ boucle_revenue_12m: 46000 }, true)).toBe('organization');
    expect(crmSourceOf({ boucle_crm_synced_at: '2026-11-22T08:00:00Z' }, true)).toBe('organization');
    // Zendesk lists unset fields as null: nothing written there.
    expect(crmSourceOf({ boucle_revenue_12m: null, boucle_crm_synced_at: '' }, true)).toBe('user');
    expect(crmSourceOf(null, true)).toBe('user');
    expect(crmSourceOf({ boucle_revenue_12m: 46000 }, false)).toBe('user');
  });

  it('reads the installation’s own field keys', () => {
    const keys = { revenue12m: 'rev', crmSyncedAt: 'synced' } as Parameters<typeof crmSourceOf>[2];
    expect(crmSourceOf({ rev: 1 }, true, keys)).toBe('organization');
    expect(crmSourceOf({ boucle_revenue_12m: 1 }, true, keys)).toBe('user');
  });
});
