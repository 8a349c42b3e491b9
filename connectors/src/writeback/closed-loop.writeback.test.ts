/**
 * The whole path: a detractor answer posted to `boucle serve` (Zendesk emulator), the closed loop deciding on the
 * follow-up ticket, and the write-back to the Salesforce emulator with the real jsforce.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CRM_FIELD_KEYS } from '../../../shared/src/index.ts';
import { SALESFORCE_SANDBOX_CREDENTIALS, startSalesforce } from '../../../sandbox/salesforce/index.ts';
import { loadConfig } from '../config/config.ts';
import { salesforceSection } from '../config/salesforce.ts';
import { defaultWritebackSettings } from '../config/writeback.ts';
import { SURVEY_TOKEN, useLoopHarness } from '../loop/test-harness.ts';
import { SalesforceClient } from '../salesforce/client.ts';
import { Writeback } from './engine.ts';
import { interventionExternalId } from './records.ts';

const startLoop = useLoopHarness();
const writebackSettingsFor = (zendeskUrl: string) =>
  defaultWritebackSettings({ ticketUrl: `${zendeskUrl}/agent/tickets/{id}`, intervalMs: 0 });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('closed loop → Salesforce', { timeout: 30_000 }, () => {
  it('a detractor answer in the sandbox ends as a Boucle_Feedback__c and a Boucle_Intervention__c on the right Account', async () => {
    const sf = await startSalesforce({
      seed: 13,
      dataset: { accounts: 6, contactsPerAccount: 2, opportunitiesPerAccount: 1, ordersPerAccount: 1 },
    });
    cleanups.push(() => sf.close());
    const salesforce = loadConfig(
      { salesforce: salesforceSection },
      {
        SALESFORCE_LOGIN_URL: sf.url,
        SALESFORCE_AUTH: 'client_credentials',
        SALESFORCE_CLIENT_ID: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
        SALESFORCE_CLIENT_SECRET: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
      },
    ).salesforce;
    const {
      emulator: zd,
      client: zendesk,
      service,
    } = await startLoop({
      emulator: { seed: 7, counts: { users: 2, organizations: 1, tickets: 1 } },
      service: (emulator) => ({
        writeback: { settings: writebackSettingsFor(emulator.url), salesforce },
      }),
    });
    const writebackSettings = writebackSettingsFor(zd.url);

    // The Salesforce contact, as the sync would have put it into Zendesk (same email, a platinum organisation).
    const contact = sf.store.table('Contact').records[1]!;
    const organization = await zendesk.createOrUpdateOrganization({
      name: 'Maison Dupont',
      external_id: contact.AccountId,
      organization_fields: {
        [CRM_FIELD_KEYS.valueTier]: 'platinum',
        [CRM_FIELD_KEYS.revenue12m]: 240_000,
        [CRM_FIELD_KEYS.lifetimeRevenue]: 900_000,
        [CRM_FIELD_KEYS.marginRate]: 0.4,
        [CRM_FIELD_KEYS.orders12m]: 30,
        [CRM_FIELD_KEYS.crmSyncedAt]: '2026-11-20T08:00:00Z',
      },
    });
    await zendesk.createOrUpdateUser({
      name: 'Marie Dupont',
      email: contact.Email,
      role: 'end-user',
      organization_id: organization.id,
    });
    const posted = await fetch(`${service.url}/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'survey-42',
        kind: 'nps',
        score: 1,
        respondedAt: new Date(Date.now() - 60_000).toISOString(),
        email: contact.Email,
        comment: "Troisième fois que j'appelle, toujours pas de solution.",
      }),
    });
    expect(posted.status).toBe(202);
    for (let i = 0; i < 200 && (await service.ledger.all()).length === 0; i++) {
      await zd.settle();
      await service.workers.idle();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [entry] = await service.ledger.all();
    expect(entry).toBeDefined();

    const writeback = new Writeback(service.sql, writebackSettings, service.ledger);
    const result = await writeback.flush(new SalesforceClient({ settings: salesforce }), {
      mode: 'collections',
      floor: salesforce.minRemainingRequests,
    });
    expect(result).toMatchObject({ outcome: 'done', failed: 0 });

    const feedback = sf.store.table('Boucle_Feedback__c').records;
    expect(feedback).toHaveLength(1);
    expect(feedback[0]).toMatchObject({
      Account__c: contact.AccountId,
      Contact__c: contact.Id,
      Score__c: 1,
      Category__c: 'detractor',
      Source__c: 'survey_api',
    });
    const interventions = sf.store.table('Boucle_Intervention__c').records;
    expect(interventions).toHaveLength(1);
    expect(interventions[0]).toMatchObject({
      Boucle_External_Id__c: interventionExternalId(entry!.decisionKey),
      Account__c: contact.AccountId,
      Action__c: entry!.action,
      Zendesk_Ticket_Id__c: String(entry!.ticketId),
      Zendesk_Ticket_URL__c: `${zd.url}/agent/tickets/${entry!.ticketId}`,
      Status__c: 'applied',
    });
    expect(interventions[0]!.CCER__c).toEqual(expect.any(Number));
    expect(interventions[0]!.Value_At_Risk__c).toBeGreaterThan(0);
    const account = sf.get(contact.AccountId as string)!;
    expect(account.Boucle_Last_NPS__c).toBe(1);
    expect(account.Boucle_Open_Incidents__c).toBe(entry!.action === 'none' ? 0 : 1);
  });
});
