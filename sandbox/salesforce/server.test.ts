import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SALESFORCE_SANDBOX_CREDENTIALS as C, type SalesforceEmulator, startSalesforce } from './index.ts';

const START = Date.parse('2026-03-02T08:00:00Z');
let emu: SalesforceEmulator;
let auth: Record<string, string>;
const api = (path: string): string => `${emu.url}/services/data/v62.0${path}`;

async function json(res: Response): Promise<unknown> {
  return (await res.json()) as unknown;
}
async function post(url: string, body: unknown, method = 'POST'): Promise<Response> {
  return fetch(url, {
    method,
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  emu = await startSalesforce({
    seed: 3,
    clock: { start: START, frozen: true },
    dataset: { accounts: 30 },
    bulkPollsUntilComplete: 2,
  });
  auth = { Authorization: `Bearer ${emu.issueAccessToken()}` };
});
afterAll(async () => {
  await emu.close();
});

describe('HTTP surface', () => {
  it('lists API versions without auth and refuses unknown ones with NOT_FOUND', async () => {
    const versions = (await json(await fetch(`${emu.url}/services/data`))) as {
      version: string;
      label: string;
    }[];
    expect(versions.find((v) => v.version === '62.0')?.label).toBe("Winter '25");
    expect(versions.at(-1)?.version).toBe('66.0');
    const res = await fetch(`${emu.url}/services/data/v99.0/limits`, { headers: auth });
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });

  it('no or bad token: 401 INVALID_SESSION_ID in the Salesforce error shape', async () => {
    const res = await fetch(api('/limits'), { headers: { Authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('every API response carries Sforce-Limit-Info, errors included; the count is per call', async () => {
    const a = await fetch(api('/limits'), { headers: auth });
    const b = await fetch(api('/sobjects/Nope/describe'), { headers: auth });
    const used = (h: Response): number =>
      Number(/api-usage=(\d+)\/100000/.exec(h.headers.get('sforce-limit-info') ?? '')![1]);
    expect(b.status).toBe(404);
    expect(used(b)).toBe(used(a) + 1);
  });

  it('a session times out after two hours without use, not two hours after issue', async () => {
    const token = { Authorization: `Bearer ${emu.issueAccessToken()}` };
    for (let i = 0; i < 3; i += 1) {
      emu.advanceClock(3_600_000);
      expect((await fetch(api('/limits'), { headers: token })).status).toBe(200);
    }
    emu.advanceClock(2 * 3_600_000);
    expect((await fetch(api('/limits'), { headers: token })).status).toBe(401);
    auth = { Authorization: `Bearer ${emu.issueAccessToken()}` };
  });

  it('token endpoint errors: bad client, bad grant type, unknown refresh token', async () => {
    const token = (params: Record<string, string>): Promise<Response> =>
      fetch(`${emu.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
    expect(
      await json(await token({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' })),
    ).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
    expect((await token({ grant_type: 'magic' })).status).toBe(400);
    const refresh = await token({
      grant_type: 'refresh_token',
      client_id: C.clientId,
      refresh_token: 'stale',
    });
    expect(await json(refresh)).toMatchObject({ error: 'invalid_grant' });
  });

  it('authorization code flow: authorize redirects with a one-time code that yields a refresh token', async () => {
    const res = await fetch(
      `${emu.url}/services/oauth2/authorize?response_type=code&client_id=${C.clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1/cb')}&state=s1`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('s1');
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: location.searchParams.get('code')!,
      client_id: C.clientId,
      client_secret: C.clientSecret,
      redirect_uri: 'http://127.0.0.1/cb',
    }).toString();
    const first = (await json(
      await fetch(`${emu.url}/services/oauth2/token`, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    )) as { refresh_token?: string };
    expect(first.refresh_token).toBeTruthy();
    const again = await fetch(`${emu.url}/services/oauth2/token`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(again.status).toBe(400);
  });
});

describe('programmatic API', () => {
  it('mutateRandom changes distinct records deterministically and bumps their SystemModstamp', () => {
    const stampBefore = emu.clock.now();
    emu.advanceClock(1000);
    const ids = emu.mutateRandom('Opportunity', 5, 11);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(emu.get(id)!.SystemModstamp).toBeGreaterThan(stampBefore);
    expect(() => emu.mutateRandom('Account', 1_000_000, 1)).toThrow(/only \d+ live Account records/);
  });
});

describe('control API', () => {
  it('validates, lists and clears faults', async () => {
    const bad = await fetch(`${emu.url}/__faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'explode' }),
    });
    expect(bad.status).toBe(400);
    expect(((await json(bad)) as { error: string }).error).toContain('kind must be one of');
    const ok = await fetch(`${emu.url}/__faults`, {
      method: 'POST',
      body: JSON.stringify([{ kind: 'status', status: 503, path: '/limits', times: 2 }]),
    });
    expect(ok.status).toBe(201);
    expect(((await json(await fetch(`${emu.url}/__faults`))) as unknown[]).length).toBe(1);
    expect((await fetch(api('/limits'), { headers: auth })).status).toBe(503);
    await fetch(`${emu.url}/__faults`, { method: 'DELETE' });
    expect((await fetch(api('/limits'), { headers: auth })).status).toBe(200);
  });

  it('request log, per-endpoint counts and the clock', async () => {
    await fetch(`${emu.url}/__requests`, { method: 'DELETE' });
    await fetch(api(`/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`), { headers: auth });
    const log = (await json(await fetch(`${emu.url}/__requests`))) as { endpoint: string; status: number }[];
    expect(log).toMatchObject([{ endpoint: 'query', status: 200 }]);
    const stats = (await json(await fetch(`${emu.url}/__stats`))) as { calls: Record<string, number> };
    expect(stats.calls).toEqual({ query: 1 });
    const clock = (await json(
      await fetch(`${emu.url}/__clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 60_000 }) }),
    )) as {
      now: string;
    };
    expect(Date.parse(clock.now)).toBe(emu.clock.now());
  });
});

describe('records over REST', () => {
  it('collections with allOrNone roll back every record when one fails', async () => {
    const before = emu.store.table('Account').records.length;
    const res = await post(api('/composite/sobjects'), {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Name: 'Summit Hotels Ltd' },
        { attributes: { type: 'Account' }, Industry: 'Retail' },
      ],
    });
    const results = (await json(res)) as { success: boolean; errors: { statusCode: string }[] }[];
    expect(results.map((r) => r.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING',
    ]);
    expect(emu.store.table('Account').records.length).toBe(before);
  });

  it('an ambiguous external id is 300 with the candidate URLs', async () => {
    emu.create('Account', { Name: 'Dup One', External_Id__c: 'DUP-1' });
    emu.create('Account', { Name: 'Dup Two', External_Id__c: 'dup-1' });
    const res = await fetch(api('/sobjects/Account/External_Id__c/DUP-1'), { headers: auth });
    expect(res.status).toBe(300);
    expect(((await json(res)) as string[]).length).toBe(2);
    const upsert = await post(api('/sobjects/Account/External_Id__c/DUP-1'), { Name: 'x' }, 'PATCH');
    expect(upsert.status).toBe(300);
  });

  it('write validation errors name the field', async () => {
    const res = await post(api('/sobjects/Order'), {
      AccountId: emu.store.table('Account').records[0]!.Id,
      Status: 'Shipped',
      EffectiveDate: '2026-03-01',
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual([
      {
        message: 'Status: bad value for restricted picklist field: Shipped',
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        fields: ['Status'],
      },
    ]);
    const readOnly = await post(api('/sobjects/Opportunity'), {
      Name: 'x',
      StageName: 'Prospecting',
      CloseDate: '2026-04-01',
      IsWon: true,
    });
    expect(((await json(readOnly)) as { errorCode: string }[])[0]!.errorCode).toBe(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
  });

  it('deleted/ keeps 15 days: older entries are purged and earliestDateAvailable moves', async () => {
    const victim = emu.create('Contact', { LastName: 'Purged' });
    emu.remove('Contact', victim.Id as string);
    emu.advanceClock(16 * 86_400_000);
    auth = { Authorization: `Bearer ${emu.issueAccessToken()}` }; // the old session expired with the clock
    const start = new Date(emu.clock.now() - 14 * 86_400_000).toISOString();
    const end = new Date(emu.clock.now()).toISOString();
    const res = await fetch(
      api(`/sobjects/Contact/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`),
      { headers: auth },
    );
    const body = (await json(res)) as { deletedRecords: unknown[]; earliestDateAvailable: string };
    expect(body.deletedRecords).toEqual([]);
    expect(Date.parse(body.earliestDateAvailable.replace('+0000', 'Z'))).toBeGreaterThan(START + 86_400_000);
    expect(emu.get(victim.Id as string)).toBeUndefined();
  });
});

describe('Bulk API 2.0 query jobs over raw HTTP', () => {
  it('lifecycle, CSV quoting, delimiter, results version and locator checks', async () => {
    emu.create('Account', { Name: 'Quote "Co", Ltd', Industry: 'Media' });
    const created = (await json(
      await post(api('/jobs/query'), {
        operation: 'query',
        query: "SELECT Id, Name FROM Account WHERE Industry = 'Media'",
        columnDelimiter: 'SEMICOLON',
      }),
    )) as { id: string; state: string; columnDelimiter: string };
    expect(created).toMatchObject({ state: 'UploadComplete', columnDelimiter: 'SEMICOLON' });
    const early = await fetch(api(`/jobs/query/${created.id}/results`), { headers: auth });
    expect(early.status).toBe(400);
    const states: string[] = [];
    for (let i = 0; i < 3; i += 1)
      states.push(
        ((await json(await fetch(api(`/jobs/query/${created.id}`), { headers: auth }))) as { state: string })
          .state,
      );
    expect(states).toEqual(['InProgress', 'InProgress', 'JobComplete']);
    const res = await fetch(api(`/jobs/query/${created.id}/results?maxRecords=1`), { headers: auth });
    const text = await res.text();
    expect(text.split('\n')[0]).toBe('"Id";"Name"');
    const locator = res.headers.get('sforce-locator')!;
    const total = emu.store
      .table('Account')
      .records.filter((r) => r.Industry === 'Media' && r.IsDeleted !== true).length;
    expect(locator === 'null').toBe(total === 1);
    const all = await (await fetch(api(`/jobs/query/${created.id}/results`), { headers: auth })).text();
    expect(all).toContain('"Quote ""Co"", Ltd"');
    expect(res.headers.get('sforce-numberofrecords')).toBe('1');
    const other = await fetch(`${emu.url}/services/data/v61.0/jobs/query/${created.id}/results`, {
      headers: auth,
    });
    expect(other.status).toBe(409);
    const badLocator = await fetch(api(`/jobs/query/${created.id}/results?locator=zzz`), { headers: auth });
    expect(badLocator.status).toBe(400);
    expect((await fetch(api(`/jobs/query/${created.id}`), { method: 'DELETE', headers: auth })).status).toBe(
      204,
    );
    expect((await fetch(api(`/jobs/query/${created.id}`), { headers: auth })).status).toBe(404);
  });

  it('abort', async () => {
    const job = (await json(
      await post(api('/jobs/query'), { operation: 'queryAll', query: 'SELECT Id FROM Contact' }),
    )) as { id: string };
    const aborted = (await json(await post(api(`/jobs/query/${job.id}`), { state: 'Aborted' }, 'PATCH'))) as {
      state: string;
    };
    expect(aborted.state).toBe('Aborted');
  });
});

describe('--data DIR', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sf-data-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads one JSON file per object, ids and dates included', async () => {
    writeFileSync(
      join(dir, 'Account.json'),
      JSON.stringify([{ Id: '001000000000001', Name: 'Loaded SA', CreatedDate: '2026-01-01T00:00:00.000Z' }]),
    );
    writeFileSync(
      join(dir, 'Contact.json'),
      JSON.stringify([{ LastName: 'Loaded', AccountId: '001000000000001AAA', Email: 'l@loaded.example' }]),
    );
    const loaded = await startSalesforce({ dataDir: dir, clock: { start: START, frozen: true } });
    try {
      const contact = loaded.store.table('Contact').records[0]!;
      expect(loaded.get(contact.AccountId as string)?.Name).toBe('Loaded SA');
      expect(loaded.store.table('Opportunity').records).toHaveLength(0);
    } finally {
      await loaded.close();
    }
  });

  it('bad data says which file, record and field', async () => {
    writeFileSync(
      join(dir, 'Contact.json'),
      JSON.stringify([{ LastName: 'ok' }, { LastName: 'x', Email: 'not-an-email' }]),
    );
    await expect(startSalesforce({ dataDir: dir })).rejects.toThrow(
      /Contact\.json record 2: INVALID_EMAIL_ADDRESS/,
    );
    await expect(startSalesforce({ dataDir: join(dir, 'missing') })).rejects.toThrow(/does not exist/);
  });
});
