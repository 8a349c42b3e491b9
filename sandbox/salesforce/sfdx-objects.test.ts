/**
 * The emulator serves the custom objects and fields of the repository's Salesforce DX source (force-app/),
 * and Bulk API 2.0 ingest jobs, to the real jsforce 3.10.26 over loopback HTTP.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SALESFORCE_SANDBOX_CREDENTIALS as C, type SalesforceEmulator, startSalesforce } from './index.ts';
import { DEFAULT_SOURCE_DIR, readSfdxSource } from './sfdx-source.ts';

const VERSION = '62.0';
let emu: SalesforceEmulator;
let conn: Connection;

beforeAll(async () => {
  emu = await startSalesforce({
    seed: 3,
    clock: { start: Date.parse('2026-11-01T12:00:00Z'), frozen: true },
    dataset: { accounts: 5, contactsPerAccount: 2, opportunitiesPerAccount: 1, ordersPerAccount: 1 },
    bulkPollsUntilComplete: 1,
  });
  conn = new Connection({
    loginUrl: emu.url,
    version: VERSION,
    oauth2: { loginUrl: emu.url, clientId: C.clientId, clientSecret: C.clientSecret },
  });
  await conn.login(C.username, C.password);
  conn.bulk2.pollInterval = 10;
});

afterAll(async () => {
  await emu.close();
});

describe('Salesforce DX source', () => {
  it('describe answers with every field file of force-app, typed as its XML says', async () => {
    const files = readdirSync(join(DEFAULT_SOURCE_DIR, 'Boucle_Intervention__c', 'fields')).map((f) =>
      f.replace('.field-meta.xml', ''),
    );
    const describe = await conn.describe('Boucle_Intervention__c');
    expect(describe.custom).toBe(true);
    const names = describe.fields.map((f) => f.name);
    for (const file of files) expect(names).toContain(file);
    const byName = new Map(describe.fields.map((f) => [f.name, f]));
    expect(byName.get('Boucle_External_Id__c')).toMatchObject({ externalId: true, unique: true, length: 80 });
    expect(byName.get('Expected_Value__c')).toMatchObject({ type: 'currency', precision: 16, scale: 2 });
    expect(byName.get('SLA_Met__c')?.type).toBe('boolean');
    expect(byName.get('Account__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account__r',
    });
    expect(byName.get('Action__c')?.picklistValues?.map((p: { value: string }) => p.value)).toEqual([
      'none',
      'apology',
      'callback',
      'compensation',
    ]);
    const account = await conn.describe('Account');
    expect(account.fields.map((f) => f.name)).toContain('Boucle_Value_At_Risk__c');
    expect(account.childRelationships.map((r) => r.relationshipName)).toContain('Boucle_Interventions__r');
    const task = await conn.describe('Task');
    expect(task.fields.find((f) => f.name === 'Boucle_External_Id__c')?.externalId).toBe(true);
  });

  it('the source reader lists the standard objects it extends and the custom objects', () => {
    expect(readSfdxSource().map((o) => o.name)).toEqual([
      'Account',
      'Activity',
      'Boucle_Feedback__c',
      'Boucle_Intervention__c',
    ]);
  });

  it('child relationship queries, a restricted picklist and a unique external id work on the custom objects', async () => {
    const account = (await conn.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1')).records[0]!;
    await conn.sobject('Boucle_Feedback__c').create({
      Name: 'NPS 2',
      Boucle_External_Id__c: 'fb-1',
      Account__c: account.Id,
      Kind__c: 'nps',
      Score__c: 2,
    });
    await expect(
      conn
        .sobject('Boucle_Feedback__c')
        .create({ Name: 'x', Boucle_External_Id__c: 'fb-2', Kind__c: 'stars' }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
    await expect(
      conn.sobject('Boucle_Feedback__c').create({ Name: 'again', Boucle_External_Id__c: 'FB-1' }),
    ).rejects.toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
    const rows = await conn.query<{ Boucle_Feedback__r: { records: { Score__c: number }[] } }>(
      `SELECT Id, (SELECT Score__c FROM Boucle_Feedback__r) FROM Account WHERE Id = '${account.Id}'`,
    );
    expect(rows.records[0]!.Boucle_Feedback__r.records[0]!.Score__c).toBe(2);
  }, 20_000);
});

describe('Bulk API 2.0 ingest', () => {
  it('upserts by external id: created, then updated, with failed rows reported per record', async () => {
    const accountId = (await conn.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1')).records[0]!.Id;
    const records = [
      { Name: 'A', Boucle_External_Id__c: 'iv-1', Account__c: accountId, Action__c: 'callback' },
      { Name: 'B', Boucle_External_Id__c: 'iv-2', Account__c: accountId, Action__c: 'apology' },
      { Name: 'C', Boucle_External_Id__c: 'iv-3', Account__c: accountId, Action__c: 'teleport' },
    ];
    const first = await conn.bulk2.loadAndWaitForResults({
      object: 'Boucle_Intervention__c',
      operation: 'upsert',
      externalIdFieldName: 'Boucle_External_Id__c',
      input: records,
    });
    expect(first.successfulResults.map((r) => r.sf__Created)).toEqual(['true', 'true']);
    expect(first.failedResults).toHaveLength(1);
    expect(String(first.failedResults[0]!.sf__Error)).toMatch(/^INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:/);
    const second = await conn.bulk2.loadAndWaitForResults({
      object: 'Boucle_Intervention__c',
      operation: 'upsert',
      externalIdFieldName: 'Boucle_External_Id__c',
      input: records.slice(0, 2).map((r) => ({ ...r, Action__c: 'compensation' })),
    });
    expect(second.successfulResults.map((r) => r.sf__Created)).toEqual(['false', 'false']);
    const count = await conn.query('SELECT COUNT() FROM Boucle_Intervention__c');
    expect(count.totalSize).toBe(2);
    const stats = emu.callCounts();
    expect(stats['bulk2.ingest.upload']).toBe(2);
  }, 20_000);

  it('refuses a second upload, a non-external-id field and results before completion', async () => {
    const job = conn.bulk2.createJob({
      object: 'Boucle_Intervention__c',
      operation: 'upsert',
      externalIdFieldName: 'Name',
    });
    await expect(job.open()).rejects.toThrow(/not an external id field/);
    const ok = conn.bulk2.createJob({
      object: 'Boucle_Intervention__c',
      operation: 'upsert',
      externalIdFieldName: 'Boucle_External_Id__c',
    });
    await ok.open();
    await ok.uploadData([{ Name: 'D', Boucle_External_Id__c: 'iv-4' }]);
    const again = conn.request({
      method: 'PUT',
      url: `/services/data/v${VERSION}/jobs/ingest/${ok.id}/batches`,
      body: 'Name,Boucle_External_Id__c\nE,iv-5\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    await expect(again).rejects.toThrow(/already uploaded/);
    await ok.close();
    await expect(ok.getSuccessfulResults()).rejects.toThrow(/not JobComplete/);
  });
});
