import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SALESFORCE_SANDBOX_CREDENTIALS as C,
  generateJwtKeyPair,
  startSalesforce,
  type SalesforceEmulator,
} from '../../../sandbox/salesforce/index.ts';
import type { SalesforceAuth, SalesforceSettings } from '../config/salesforce.ts';
import { SalesforceClient } from './client.ts';
import { SalesforceAuthError } from './errors.ts';

const keys = generateJwtKeyPair();
let emu: SalesforceEmulator;
beforeAll(async () => {
  emu = await startSalesforce({
    seed: 3,
    dataset: { accounts: 30, contactsPerAccount: 1, opportunitiesPerAccount: 1, ordersPerAccount: 1 },
    bulkPageSize: 7,
    jwtPublicKey: keys.publicKey,
  });
});
afterAll(async () => {
  await emu.close();
});

function client(auth: SalesforceAuth): SalesforceClient {
  const settings: SalesforceSettings = {
    loginUrl: emu.url,
    instanceUrl: undefined,
    apiVersion: '62.0',
    auth,
    minRemainingRequests: { kind: 'count', value: 0 },
    requestTimeoutMs: 10_000,
    bulkPollIntervalMs: 5,
  };
  return new SalesforceClient({ settings, backoffMs: 5 });
}

describe('SalesforceClient (real jsforce against the emulator)', () => {
  it('authenticates with JWT bearer, username-password and client credentials, and sets the API version', async () => {
    const pem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const auth of [
      { kind: 'jwt', clientId: C.clientId, username: C.username, privateKey: pem },
      {
        kind: 'password',
        clientId: C.clientId,
        clientSecret: C.clientSecret,
        username: C.username,
        password: C.password,
      },
      { kind: 'client_credentials', clientId: C.clientId, clientSecret: C.clientSecret },
    ] as const) {
      const sf = client(auth);
      await sf.connect();
      const budget = await sf.limits();
      expect(budget.max).toBeGreaterThan(0);
    }
    expect(emu.requests().some((r) => r.path.startsWith('/services/data/v62.0/limits'))).toBe(true);
  });

  it('refuses bad credentials with SalesforceAuthError', async () => {
    await expect(
      client({ kind: 'client_credentials', clientId: C.clientId, clientSecret: 'nope' }).connect(),
    ).rejects.toThrow(SalesforceAuthError);
  });

  it('reads every page of a multi-page Bulk API 2.0 result with its own locator loop, and resumes from a locator', async () => {
    const sf = client({ kind: 'client_credentials', clientId: C.clientId, clientSecret: C.clientSecret });
    await sf.connect();
    const job = await sf.openBulkQuery('SELECT Id, Name FROM Account');
    const pages = [];
    for await (const page of sf.bulkPages(job, 7)) pages.push(page);
    expect(pages.length).toBe(Math.ceil(30 / 7));
    expect(new Set(pages.flatMap((p) => p.rows.map((r) => r.Id))).size).toBe(30);
    const resumed = [];
    for await (const page of sf.bulkPages(job, 7, pages[2]!.locator)) resumed.push(page);
    expect(resumed.flatMap((p) => p.rows)).toEqual(pages.slice(2).flatMap((p) => p.rows));
  });
});
