/**
 * Behaviour suite: the real jsforce 3.10.26 against the Salesforce emulator over loopback HTTP.
 * If a jsforce upgrade changes what it sends or expects, these tests fail.
 */
import { Connection, OAuth2 } from 'jsforce';
import { QueryJobV2 } from 'jsforce/lib/api/bulk2.js';
import { HttpApi } from 'jsforce/lib/http-api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SALESFORCE_SANDBOX_CREDENTIALS as C,
  type SalesforceEmulator,
  generateJwtKeyPair,
  signJwtAssertion,
  startSalesforce,
} from './index.ts';

const VERSION = '62.0';
const START = Date.parse('2026-11-01T12:00:00Z');
const keys = generateJwtKeyPair();
let emu: SalesforceEmulator;

function passwordConnection(): Connection {
  return new Connection({
    loginUrl: emu.url,
    version: VERSION,
    oauth2: {
      loginUrl: emu.url,
      clientId: C.clientId,
      clientSecret: C.clientSecret,
      redirectUri: 'http://127.0.0.1/cb',
    },
  });
}

async function loggedIn(): Promise<Connection> {
  const conn = passwordConnection();
  await conn.login(C.username, C.password);
  return conn;
}

async function failure(promise: PromiseLike<unknown>): Promise<Error & { errorCode?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errorCode?: string };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emu = await startSalesforce({
    seed: 7,
    clock: { start: START, frozen: true },
    dataset: { accounts: 3000, contactsPerAccount: 4, opportunitiesPerAccount: 1, ordersPerAccount: 1 },
    jwtPublicKey: keys.publicKey,
  });
});

afterAll(async () => {
  await emu.close();
});

describe('login flows', () => {
  it('OAuth username-password: instance URL, org and user ids from the id URL', async () => {
    const conn = passwordConnection();
    const user = await conn.login(C.username, C.password + C.securityToken);
    expect(conn.instanceUrl).toBe(emu.url);
    expect(user.organizationId).toMatch(/^00D[0-9A-Za-z]{15}$/);
    expect(user.id).toMatch(/^005[0-9A-Za-z]{15}$/);
    expect(conn.accessToken).toContain('!');
  });

  it('OAuth username-password: a wrong password is invalid_grant', async () => {
    const error = await failure(passwordConnection().login(C.username, 'wrong'));
    expect(error.name).toBe('invalid_grant');
    expect(error.message).toContain('authentication failure');
  });

  it('SOAP login (no client secret): session usable for REST', async () => {
    const conn = new Connection({ loginUrl: emu.url, version: VERSION });
    const user = await conn.login(C.username, C.password);
    expect(user.organizationId).toMatch(/^00D/);
    const r = await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(r.records).toHaveLength(1);
  });

  it('SOAP login: a wrong password is INVALID_LOGIN', async () => {
    const conn = new Connection({ loginUrl: emu.url, version: VERSION });
    const error = await failure(conn.login(C.username, 'nope'));
    expect(error.message).toContain('INVALID_LOGIN');
  });

  it('client credentials', async () => {
    const conn = new Connection({
      instanceUrl: emu.url,
      version: VERSION,
      oauth2: { loginUrl: emu.url, clientId: C.clientId, clientSecret: C.clientSecret },
    });
    await conn.authorize({ grant_type: 'client_credentials' });
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBeGreaterThan(0);
  });

  it('JWT bearer: a valid RS256 assertion logs in, a forged or expired one does not', async () => {
    const mint = (privateKey = keys.privateKey, expiresAt = START / 1000 + 180): string =>
      signJwtAssertion({
        privateKey,
        clientId: C.clientId,
        username: C.username,
        audience: emu.url,
        expiresAt,
      });
    const conn = new Connection({ loginUrl: emu.url, version: VERSION });
    await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: mint() });
    expect((await conn.query('SELECT Id FROM Contact LIMIT 2')).records).toHaveLength(2);

    const other = generateJwtKeyPair();
    const forged = await failure(
      new OAuth2({ loginUrl: emu.url }).requestToken({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: mint(other.privateKey),
      }),
    );
    expect(forged.name).toBe('invalid_grant');
    const expired = await failure(
      new OAuth2({ loginUrl: emu.url }).requestToken({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: mint(keys.privateKey, START / 1000 - 1),
      }),
    );
    expect(expired.name).toBe('invalid_grant');
  });

  it('refresh token: an expired session is refreshed on 401 and the call replayed', async () => {
    const conn = new Connection({
      instanceUrl: emu.url,
      version: VERSION,
      accessToken: 'expired!token',
      refreshToken: emu.issueRefreshToken(),
      oauth2: {
        loginUrl: emu.url,
        clientId: C.clientId,
        clientSecret: C.clientSecret,
        redirectUri: 'http://127.0.0.1/cb',
      },
    });
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    const r = await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(r.records).toHaveLength(1);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).toBe(refreshed[0]);
  });

  it('sessions expire with the clock; an access token alone then fails with INVALID_SESSION_ID', async () => {
    const conn = new Connection({
      instanceUrl: emu.url,
      version: VERSION,
      accessToken: emu.issueAccessToken(),
    });
    await conn.query('SELECT Id FROM Account LIMIT 1');
    emu.advanceClock(2 * 3_600_000 + 1);
    const error = await failure(conn.query('SELECT Id FROM Account LIMIT 1'));
    expect(error.name).toBe('INVALID_SESSION_ID');
  });
});

describe('queries', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await loggedIn();
  });

  it('pages past 10,000 records with nextRecordsUrl; jsforce stops at its default maxFetch', async () => {
    const total = (await conn.query('SELECT COUNT() FROM Contact')).totalSize;
    expect(total).toBeGreaterThan(10_000);
    emu.resetRequestLog();
    const all = await conn
      .query<{ Id: string }>('SELECT Id, Email FROM Contact')
      .run({ autoFetch: true, maxFetch: 1_000_000 });
    expect(all.records).toHaveLength(total);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(total);
    expect(emu.callCounts().queryMore).toBe(Math.ceil(total / 2000) - 1);

    const capped = await conn.query('SELECT Id FROM Contact').run({ autoFetch: true });
    expect(capped.records).toHaveLength(10_000);
    expect(capped.done).toBe(false);
  });

  it('queryMore by hand, and the page shape', async () => {
    const first = await conn.query('SELECT Id, Name, Account.Name FROM Contact ORDER BY SystemModstamp, Id');
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[0-9A-Za-z]{15}-2000$/);
    const second = await conn.queryMore(first.nextRecordsUrl!);
    expect(second.records[0]).not.toEqual(first.records[0]);
    const rec = first.records[0] as unknown as {
      attributes: { type: string };
      Account: { attributes: { type: string }; Name: string };
    };
    expect(rec.attributes.type).toBe('Contact');
    expect(rec.Account.attributes.type).toBe('Account');
    expect(typeof rec.Account.Name).toBe('string');
  });

  it('keyset paging on (SystemModstamp, Id) walks every record exactly once', async () => {
    const seen = new Set<string>();
    let where = '';
    for (;;) {
      const page = await conn.query<{ Id: string; SystemModstamp: string }>(
        `SELECT Id, SystemModstamp FROM Account ${where} ORDER BY SystemModstamp, Id LIMIT 1000`,
      );
      for (const r of page.records) seen.add(r.Id);
      const last = page.records.at(-1);
      if (page.records.length < 1000 || last === undefined) break;
      where = `WHERE SystemModstamp > ${last.SystemModstamp} OR (SystemModstamp = ${last.SystemModstamp} AND Id > '${last.Id}')`;
    }
    expect(seen.size).toBe((await conn.query('SELECT COUNT() FROM Account')).totalSize);
  });

  it('aggregates: GROUP BY with SUM/COUNT/MAX/MIN, aliases and exprN', async () => {
    const accounts = await conn.query<{ Id: string }>('SELECT Id FROM Account ORDER BY Name LIMIT 50');
    const ids = accounts.records.map((r) => `'${r.Id}'`).join(',');
    const agg = await conn.query<Record<string, unknown>>(
      `SELECT AccountId, SUM(Amount) ltv, COUNT(Id), MAX(CloseDate), MIN(Amount) FROM Opportunity WHERE IsWon = true AND AccountId IN (${ids}) GROUP BY AccountId`,
    );
    const opps = await conn.query<{ AccountId: string; Amount: number | null }>(
      `SELECT AccountId, Amount FROM Opportunity WHERE IsWon = true AND AccountId IN (${ids})`,
    );
    const expected = new Map<string, number>();
    for (const o of opps.records)
      expected.set(o.AccountId, (expected.get(o.AccountId) ?? 0) + (o.Amount ?? 0));
    expect(agg.records.length).toBe(expected.size);
    for (const row of agg.records) {
      expect((row.attributes as { type: string }).type).toBe('AggregateResult');
      expect(row.ltv ?? 0).toBeCloseTo(expected.get(row.AccountId as string)!, 2);
      expect(typeof row.expr0).toBe('number');
      expect(row.expr1).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect('expr2' in row).toBe(true);
    }
    const byIndustry = await conn.query<{ Industry: string; n: number }>(
      'SELECT Industry, COUNT(Id) n FROM Account GROUP BY Industry ORDER BY COUNT(Id) DESC',
    );
    const counts = byIndustry.records.map((r) => r.n);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('unsupported or invalid SOQL is MALFORMED_QUERY / INVALID_FIELD, never a silent answer', async () => {
    expect(
      (await failure(conn.query('SELECT Id FROM Account WHERE Name = 1 AND Type = 2 OR Industry = 3'))).name,
    ).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(
      (await failure(conn.query("SELECT Id FROM Account WHERE Name = 'a' AND Type = 'b' OR Industry = 'c'")))
        .name,
    ).toBe('MALFORMED_QUERY');
    expect((await failure(conn.query('SELEC Id FROM Account'))).name).toBe('MALFORMED_QUERY');
    expect(
      (await failure(conn.query('SELECT Id, TYPEOF Owner WHEN User THEN Name END FROM Account'))).name,
    ).toBe('MALFORMED_QUERY');
    expect((await failure(conn.query('SELECT Nope__c FROM Account'))).name).toBe('INVALID_FIELD');
    expect((await failure(conn.query('SELECT Id FROM Nope__c'))).name).toBe('INVALID_TYPE');
  });

  it('queryAll includes deleted records, query does not', async () => {
    const victim = (await conn.query<{ Id: string }>('SELECT Id FROM Order LIMIT 1')).records[0]!.Id;
    await conn.sobject('Order').destroy(victim);
    expect((await conn.query(`SELECT Id FROM Order WHERE Id = '${victim}'`)).totalSize).toBe(0);
    const all = await conn.query<{ IsDeleted: boolean }>(
      `SELECT Id, IsDeleted FROM Order WHERE Id = '${victim}'`,
      {
        scanAll: true,
      },
    );
    expect(all.records[0]?.IsDeleted).toBe(true);
  });

  it('describe feeds find() without a field list', async () => {
    const rows = await conn
      .sobject('Account')
      .find({ Industry: 'Banking', AnnualRevenue: { $gt: 1_000_000 } })
      .sort({ SystemModstamp: 1 })
      .limit(5);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.Industry).toBe('Banking');
      expect(row).toHaveProperty('Customer_Tier__c');
    }
  });
});

describe('writes, updated/ and deleted/', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await loggedIn();
  });

  it('create, update, upsert by external id, and collections', async () => {
    const created = await conn
      .sobject('Account')
      .create({ Name: 'Harbor Telecom SA', Industry: 'Telecommunications' });
    expect(created.success).toBe(true);
    const id = (created as { id: string }).id;
    const before = (await conn.sobject('Account').retrieve(id)) as { SystemModstamp: string };
    emu.advanceClock(1000);
    await conn.sobject('Account').update({ Id: id, AnnualRevenue: 5e6 });
    const after = (await conn.sobject('Account').retrieve(id)) as {
      SystemModstamp: string;
      AnnualRevenue: number;
    };
    expect(after.AnnualRevenue).toBe(5e6);
    expect(Date.parse(after.SystemModstamp)).toBeGreaterThan(
      Date.parse(before.SystemModstamp.replace('+0000', 'Z')) - 1,
    );
    expect(after.SystemModstamp).not.toBe(before.SystemModstamp);

    const up1 = await conn
      .sobject('Account')
      .upsert({ External_Id__c: 'ERP-X1', Name: 'Basalt Bank AG' }, 'External_Id__c');
    const up2 = await conn
      .sobject('Account')
      .upsert({ External_Id__c: 'ERP-X1', Name: 'Basalt Bank AG (renamed)' }, 'External_Id__c');
    expect(up1).toMatchObject({ success: true, created: true });
    expect(up2).toMatchObject({ success: true, created: false, id: (up1 as { id: string }).id });

    const batch = await conn
      .sobject('Contact')
      .create([
        { LastName: 'Nilsson', AccountId: id, Email: 'lars.nilsson@harbor.example' },
        { FirstName: 'No last name' },
      ]);
    expect(batch[0]!.success).toBe(true);
    expect(batch[1]!.success).toBe(false);
    expect((batch[1] as { errors: { statusCode: string }[] }).errors[0]!.statusCode).toBe(
      'REQUIRED_FIELD_MISSING',
    );

    const bad = await failure(conn.sobject('Account').create({ Name: 'x', Nope__c: 1 }));
    expect(bad.name).toBe('INVALID_FIELD');
  });

  it('updated/ and deleted/ follow SystemModstamp and the delete log, by whole minutes', async () => {
    const start = new Date(emu.clock.now());
    emu.advanceClock(60_000);
    const target = (await conn.query<{ Id: string }>('SELECT Id FROM Contact LIMIT 2')).records;
    await conn.sobject('Contact').update({ Id: target[0]!.Id, Phone: '+33 1 23 45 67 89' });
    await conn.sobject('Contact').destroy(target[1]!.Id);
    emu.advanceClock(120_000);
    const end = new Date(emu.clock.now());
    const upd = await conn.sobject('Contact').updated(start, end);
    expect(upd.ids).toContain(target[0]!.Id);
    expect(upd.ids).not.toContain(target[1]!.Id);
    expect(upd.latestDateCovered).toMatch(/:00\.000\+0000$/);
    const del = await conn.sobject('Contact').deleted(start, end);
    expect(del.deletedRecords.map((d) => d.id)).toEqual([target[1]!.Id]);
    expect(del.earliestDateAvailable).toMatch(/\+0000$/);

    const tooOld = await failure(
      conn.sobject('Contact').updated(new Date(emu.clock.now() - 31 * 86_400_000), end),
    );
    expect(tooOld.name).toBe('INVALID_REPLICATION_DATE');
  });

  it('limits and Sforce-Limit-Info; a spent allocation is REQUEST_LIMIT_EXCEEDED', async () => {
    const limits = await conn.limits();
    expect(limits.DailyApiRequests!.Max).toBe(100_000);
    expect(conn.limitInfo.apiUsage?.limit).toBe(100_000);
    expect(conn.limitInfo.apiUsage?.used).toBe(100_000 - limits.DailyApiRequests!.Remaining);
    const used = emu.apiUsage().used;
    emu.setApiUsage(100_000);
    const error = await failure(conn.query('SELECT Id FROM Account LIMIT 1'));
    expect(error.name).toBe('REQUEST_LIMIT_EXCEEDED');
    emu.setApiUsage(used);
  });

  it('unknown API versions are NOT_FOUND', async () => {
    const old = new Connection({
      instanceUrl: emu.url,
      version: '20.0',
      accessToken: emu.issueAccessToken(),
    });
    expect((await failure(old.query('SELECT Id FROM Account'))).name).toBe('NOT_FOUND');
  });
});

describe('Bulk API 2.0 query', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await loggedIn();
    conn.bulk2.pollInterval = 10;
  });

  it('single page through conn.bulk2.query(): values as CSV strings', async () => {
    const rows = (await (
      await conn.bulk2.query('SELECT Id, Name, AnnualRevenue FROM Account LIMIT 10')
    ).toArray()) as Record<string, string>[];
    expect(rows).toHaveLength(10);
    expect(typeof rows[0]!.AnnualRevenue).toBe('string');
  });

  it('several locator pages with our own loop; Sforce-Locator is "null" on the last page', async () => {
    const soql = 'SELECT Id, Email, Account.Name FROM Contact';
    const job = new QueryJobV2(conn, {
      bodyParams: { operation: 'query', query: soql },
      pollingOptions: { pollInterval: 10, pollTimeout: 10_000 },
    });
    await job.open();
    await job.poll();
    const ids = new Set<string>();
    const locators: string[] = [];
    let locator: string | undefined;
    do {
      const api = new HttpApi(conn, { responseType: 'text/csv' });
      let headers: Record<string, string> = {};
      api.on('response', (res: { headers: Record<string, string> }) => {
        headers = res.headers;
      });
      const url = `${conn.instanceUrl}/services/data/v${conn.version}/jobs/query/${job.id}/results?maxRecords=4000${locator === undefined ? '' : `&locator=${locator}`}`;
      const rows = await api.request<Record<string, string>[]>({
        method: 'GET',
        url,
        headers: { Accept: 'text/csv' },
      });
      for (const r of rows) ids.add(r.Id!);
      expect(rows[0]).toHaveProperty(['Account.Name']);
      locator = headers['sforce-locator'];
      locators.push(String(locator));
    } while (locator !== undefined && locator !== 'null');
    expect(ids.size).toBe((await conn.query('SELECT COUNT() FROM Contact')).totalSize);
    expect(locators.length).toBeGreaterThan(2);
    expect(locators.at(-1)).toBe('null');
  });

  it('refuses aggregates at job creation', async () => {
    const error = await failure(conn.bulk2.query('SELECT COUNT(Id) FROM Account'));
    expect(error.message).toContain('Bulk API 2.0');
  });
});

describe('injected faults', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await loggedIn();
  });

  it('401 INVALID_SESSION_ID: jsforce logs in again and replays', async () => {
    const refreshed: string[] = [];
    conn.on('refresh', (t: string) => refreshed.push(t));
    emu.injectFault({ kind: 'invalidSession', path: '/v62.0/query' });
    const r = await conn.query('SELECT Id FROM Account LIMIT 3');
    expect(r.records).toHaveLength(3);
    expect(refreshed).toHaveLength(1);
  });

  it('429 then 503 on a GET: retried by jsforce, visible in the request log', async () => {
    emu.resetRequestLog();
    emu.injectFault({ kind: 'status', status: 429, path: '/v62.0/query' });
    emu.injectFault({ kind: 'status', status: 503, path: '/v62.0/query' });
    const r = await conn.query('SELECT Id FROM Account LIMIT 2');
    expect(r.records).toHaveLength(2);
    expect(emu.requests().map((e) => e.status)).toEqual([429, 503, 200]);
  });

  it('503 on a POST is not retried by jsforce', async () => {
    emu.injectFault({ kind: 'status', status: 503, method: 'POST', path: '/sobjects/Account' });
    const error = await failure(conn.sobject('Account').create({ Name: 'Willow Water plc' }));
    expect(error.name).toBe('SERVER_UNAVAILABLE');
  });

  it('slow responses are slow', async () => {
    emu.injectFault({ kind: 'delay', delayMs: 300, path: '/limits' });
    const t0 = performance.now();
    await conn.limits();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('a socket reset on a GET is retried', async () => {
    emu.resetRequestLog();
    emu.injectFault({ kind: 'reset', path: '/v62.0/query' });
    const r = await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(r.records).toHaveLength(1);
    expect(emu.requests()[0]!.fault).toBe('reset');
  });

  it('a connection closed without an answer surfaces as a socket error (jsforce 3.10.26 does not retry it)', async () => {
    emu.injectFault({ kind: 'close', path: '/v62.0/query' });
    const error = await failure(conn.query('SELECT Id FROM Account LIMIT 1'));
    expect((error.cause as { code?: string }).code).toBe('UND_ERR_SOCKET');
  });

  it('an expired query locator is INVALID_QUERY_LOCATOR', async () => {
    const first = await conn.query('SELECT Id FROM Contact');
    emu.injectFault({ kind: 'expireLocator' });
    expect((await failure(conn.queryMore(first.nextRecordsUrl!))).name).toBe('INVALID_QUERY_LOCATOR');
    const again = await conn.query('SELECT Id FROM Contact');
    emu.advanceClock(15 * 60_000 + 1);
    expect((await failure(conn.queryMore(again.nextRecordsUrl!))).name).toBe('INVALID_QUERY_LOCATOR');
  });

  it('a failed Bulk 2.0 job makes jsforce throw', async () => {
    conn.bulk2.pollInterval = 10;
    emu.injectFault({ kind: 'failBulkJob' });
    const error = await failure(conn.bulk2.query('SELECT Id FROM Account'));
    expect(error.message).toMatch(/fail/i);
  });

  it('403 REQUEST_LIMIT_EXCEEDED burst is not retried', async () => {
    emu.injectFault({ kind: 'limitExceeded', path: '/v62.0/query' });
    expect((await failure(conn.query('SELECT Id FROM Account LIMIT 1'))).name).toBe('REQUEST_LIMIT_EXCEEDED');
  });
});
