import { afterEach, describe, expect, it } from 'vitest';
import { CRM_FIELD_KEYS } from '../../../shared/src/index.ts';
import { startHarness, type Harness } from './test-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function orgByExternalId(harness: Harness, externalId: string): Record<string, unknown> | undefined {
  for (const org of harness.zd.store.organizations.values())
    if (org.external_id === externalId) return org as unknown as Record<string, unknown>;
  return undefined;
}

describe('Salesforce → Zendesk sync', () => {
  it('first run writes every account and contact, a resync writes nothing, one changed field writes one record', async () => {
    h = await startHarness({ accounts: 12, perAccount: 3 });
    const first = await h.sync();
    expect(first.mode).toEqual({ Account: 'full', Contact: 'full', Opportunity: 'full', Order: 'full' });
    const accounts = first.read.Account;
    const contacts = first.read.Contact;
    expect(accounts).toBe(12);
    expect(first.written).toEqual({ organization: accounts, user: contacts });
    const writes = h.takeWrites();
    expect(writes).toEqual({
      organizations: accounts,
      users: contacts,
      calls: Math.ceil(accounts / 100) + Math.ceil(contacts / 100),
    });
    expect(h.zd.store.organizations.size).toBe(accounts);

    // Zendesk holds the profile computed from Salesforce
    const state = h.openState();
    const row = state.db.prepare('SELECT account_id, profile FROM sync_profile LIMIT 1').get() as {
      account_id: string;
      profile: string;
    };
    state.close();
    const profile = JSON.parse(row.profile) as { lifetimeRevenue: number; tier: string };
    const org = orgByExternalId(h, row.account_id)!;
    const fields = org.organization_fields as Record<string, unknown>;
    expect(fields[CRM_FIELD_KEYS.lifetimeRevenue]).toBe(profile.lifetimeRevenue);
    expect(fields[CRM_FIELD_KEYS.valueTier]).toBe(profile.tier);

    const again = await h.sync();
    expect(again.mode.Account).toBe('incremental');
    expect(h.takeWrites()).toEqual({ organizations: 0, users: 0, calls: 0 });

    const contact = [...h.zd.store.users.values()].find((u) => u.external_id !== null)!;
    h.sf.update('Contact', contact.external_id!, { LastName: 'Renamed' });
    const third = await h.sync();
    expect(third.changed.Contact).toBe(1);
    expect(h.takeWrites()).toEqual({ organizations: 0, users: 1, calls: 1 });
    expect(h.zd.findUserByExternalId(contact.external_id!)?.name).toMatch(/Renamed$/);
  });

  it('recomputes the profile when an opportunity changes and clears a deleted contact', async () => {
    h = await startHarness({ accounts: 6, perAccount: 2 });
    await h.sync();
    h.takeWrites();
    const state = h.openState();
    const opp = state.db
      .prepare(
        "SELECT id, account_id, amount FROM sync_txn WHERE object = 'Opportunity' AND revenue = 1 LIMIT 1",
      )
      .get() as { id: string; account_id: string; amount: number };
    const contactId = (
      state.db.prepare('SELECT id FROM sync_contact WHERE account_id <> ? LIMIT 1').get(opp.account_id) as {
        id: string;
      }
    ).id;
    state.close();
    const before = (orgByExternalId(h, opp.account_id)!.organization_fields as Record<string, number>)[
      CRM_FIELD_KEYS.lifetimeRevenue
    ]!;
    h.sf.update('Opportunity', opp.id, { Amount: opp.amount + 1000 });
    h.sf.remove('Contact', contactId);
    h.sf.advanceClock(120_000);
    const report = await h.sync();
    expect(report.deleted).toBe(1);
    const after = (orgByExternalId(h, opp.account_id)!.organization_fields as Record<string, number>)[
      CRM_FIELD_KEYS.lifetimeRevenue
    ]!;
    expect(after).toBeCloseTo(before + 1000, 2);
    const cleared = h.zd.findUserByExternalId(contactId)!;
    expect((cleared.user_fields as Record<string, unknown>)[CRM_FIELD_KEYS.valueTier]).toBeNull();
    const writes = h.takeWrites();
    // one organisation, its contacts, and the deleted contact
    expect(writes.organizations).toBe(1);
    expect(writes.calls).toBe(2);
  });

  it('a dry run reads and computes but writes nothing; the next run sends it', async () => {
    h = await startHarness({ accounts: 4, perAccount: 2 });
    const dry = await h.sync({ dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.pending).toBe(dry.read.Account + dry.read.Contact);
    expect(h.takeWrites().calls).toBe(0);
    const real = await h.sync();
    expect(real.written.organization).toBe(dry.read.Account);
    expect(h.zd.store.organizations.size).toBe(dry.read.Account);
  });
});
