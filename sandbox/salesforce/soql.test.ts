import { beforeEach, describe, expect, it } from 'vitest';
import { createClock } from './clock.ts';
import { SalesforceError } from './errors.ts';
import {
  type CompiledQuery,
  bulkRefusal,
  compileQuery,
  executeAggregate,
  executeCount,
  executeRecords,
  renderRecord,
} from './soql.ts';
import { RecordStore } from './store.ts';

const NOW = Date.parse('2026-06-15T10:30:00Z');
let store: RecordStore;
let acme: string;
let bolt: string;

function q(soql: string): CompiledQuery {
  return compileQuery(soql, { store, now: store.clock.now() });
}
function names(soql: string, includeDeleted = false): unknown[] {
  return executeRecords(q(soql), store, includeDeleted).map((r) => r.Name);
}
function errorOf(soql: string): SalesforceError {
  try {
    q(soql);
  } catch (error) {
    if (error instanceof SalesforceError) return error;
    throw error;
  }
  throw new Error(`expected ${soql} to be refused`);
}

beforeEach(() => {
  const clock = createClock({ start: NOW, frozen: true });
  store = new RecordStore(clock);
  acme = store.create('Account', { Name: 'Acme Telecom', Industry: 'Telecommunications', AnnualRevenue: 5e8 })
    .Id as string;
  clock.advance(1000);
  bolt = store.create('Account', { Name: 'Bolt Retail', Industry: 'Retail', AnnualRevenue: 2e6 })
    .Id as string;
  clock.advance(1000);
  store.create('Account', { Name: 'Cedar Bank', Industry: 'Banking' });
  store.create('Opportunity', {
    AccountId: acme,
    Name: 'A1',
    StageName: 'Closed Won',
    Amount: 100,
    CloseDate: '2026-06-01',
  });
  store.create('Opportunity', {
    AccountId: acme,
    Name: 'A2',
    StageName: 'Closed Won',
    Amount: 250,
    CloseDate: '2026-05-01',
  });
  store.create('Opportunity', {
    AccountId: acme,
    Name: 'A3',
    StageName: 'Prospecting',
    Amount: 999,
    CloseDate: '2026-07-01',
  });
  store.create('Opportunity', {
    AccountId: bolt,
    Name: 'B1',
    StageName: 'Closed Won',
    Amount: null,
    CloseDate: '2025-01-10',
  });
  store.create('Contact', {
    AccountId: acme,
    FirstName: 'Léa',
    LastName: 'Martin',
    Email: 'lea@acme.example',
  });
  store.create('Contact', { AccountId: bolt, LastName: "O'Brien", Email: 'ob@bolt.example' });
});

describe('WHERE', () => {
  it('AND / OR with parentheses, NOT, and SOQL refusing to mix AND and OR without them', () => {
    expect(
      names(
        "SELECT Name FROM Account WHERE Industry = 'Retail' OR (Industry = 'Banking' AND Name LIKE 'Ced%')",
      ),
    ).toEqual(['Bolt Retail', 'Cedar Bank']);
    expect(names("SELECT Name FROM Account WHERE NOT (Industry = 'Retail' OR Industry = 'Banking')")).toEqual(
      ['Acme Telecom'],
    );
    expect(
      errorOf("SELECT Name FROM Account WHERE Industry = 'Retail' OR Industry = 'Banking' AND Name = 'x'")
        .errors[0]!.errorCode,
    ).toBe('MALFORMED_QUERY');
  });

  it('string comparison is case-insensitive; LIKE has % and _; escaped quotes', () => {
    expect(names("SELECT Name FROM Account WHERE Name = 'acme telecom'")).toEqual(['Acme Telecom']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '_olt%'")).toEqual(['Bolt Retail']);
    expect(
      executeRecords(q("SELECT Id FROM Contact WHERE LastName = 'O\\'Brien'"), store, false),
    ).toHaveLength(1);
  });

  it('IN / NOT IN, null handling (!= includes nulls, as in SOQL)', () => {
    expect(
      names("SELECT Name FROM Account WHERE Industry IN ('Retail', 'Banking') ORDER BY Name DESC"),
    ).toEqual(['Cedar Bank', 'Bolt Retail']);
    expect(names('SELECT Name FROM Account WHERE AnnualRevenue = null')).toEqual(['Cedar Bank']);
    expect(names('SELECT Name FROM Account WHERE AnnualRevenue != null ORDER BY AnnualRevenue')).toEqual([
      'Bolt Retail',
      'Acme Telecom',
    ]);
    expect(names("SELECT Name FROM Account WHERE Industry != 'Retail' ORDER BY Name")).toEqual([
      'Acme Telecom',
      'Cedar Bank',
    ]);
    expect(names('SELECT Name FROM Account WHERE AnnualRevenue > 1000000 ORDER BY Name')).toEqual([
      'Acme Telecom',
      'Bolt Retail',
    ]);
  });

  it('dates, datetimes and date literals relative to the emulator clock', () => {
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate >= 2026-05-15 ORDER BY CloseDate')).toEqual([
      'A1',
      'A3',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:30')).toEqual(['A1']);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:30')).toEqual(['A3']);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate < THIS_YEAR')).toEqual(['B1']);
    expect(names('SELECT Name FROM Account WHERE CreatedDate = TODAY')).toHaveLength(3);
    expect(
      names('SELECT Name FROM Account WHERE CreatedDate > 2026-06-15T10:30:00.500Z ORDER BY Name'),
    ).toEqual(['Bolt Retail', 'Cedar Bank']);
    expect(
      names('SELECT Name FROM Account WHERE CreatedDate > 2026-06-15T10:30:00+0000 ORDER BY Name'),
    ).toHaveLength(2);
    expect(errorOf('SELECT Name FROM Account WHERE CreatedDate > 2026-06-15').errors[0]!.errorCode).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
    expect(errorOf("SELECT Name FROM Account WHERE AnnualRevenue > '5'").errors[0]!.errorCode).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
    expect(
      errorOf('SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_FISCAL_QUARTERS:2').errors[0]!.errorCode,
    ).toBe('MALFORMED_QUERY');
  });

  it('Id filters take 15- or 18-character ids; malformed ids are refused', () => {
    expect(names(`SELECT Name FROM Account WHERE Id = '${acme.slice(0, 15)}'`)).toEqual(['Acme Telecom']);
    expect(errorOf("SELECT Name FROM Account WHERE Id = 'nope'").errors[0]!.message).toContain(
      'invalid ID field',
    );
  });

  it('parent fields in WHERE and semi-joins', () => {
    expect(
      executeRecords(q("SELECT Id FROM Contact WHERE Account.Industry = 'Retail'"), store, false),
    ).toHaveLength(1);
    expect(
      names(
        "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Prospecting')",
      ),
    ).toEqual(['Acme Telecom']);
  });
});

describe('SELECT, ORDER BY, LIMIT/OFFSET', () => {
  it('renders parent relationships with attributes, nulls as null, dates in REST format', () => {
    const query = q('SELECT Id, Name, Account.Name, CreatedDate FROM Contact ORDER BY LastName');
    const [first] = executeRecords(query, store, false);
    const out = renderRecord(query, first!, '62.0', store, false);
    expect(out).toMatchObject({
      attributes: { type: 'Contact' },
      Name: 'Léa Martin',
      Account: { attributes: { type: 'Account' }, Name: 'Acme Telecom' },
      CreatedDate: '2026-06-15T10:30:02.000+0000',
    });
  });

  it('child subqueries return null when empty', () => {
    const query = q(
      'SELECT Name, (SELECT Name FROM Opportunities ORDER BY Name DESC LIMIT 2) FROM Account ORDER BY Name',
    );
    const rows = executeRecords(query, store, false).map((r) => renderRecord(query, r, '62.0', store, false));
    expect((rows[0]!.Opportunities as { records: { Name: string }[] }).records.map((r) => r.Name)).toEqual([
      'A3',
      'A2',
    ]);
    expect(rows[2]!.Opportunities).toBeNull();
  });

  it('NULLS FIRST/LAST, OFFSET and LIMIT', () => {
    expect(names('SELECT Name FROM Account ORDER BY AnnualRevenue DESC NULLS LAST')).toEqual([
      'Acme Telecom',
      'Bolt Retail',
      'Cedar Bank',
    ]);
    expect(names('SELECT Name FROM Account ORDER BY AnnualRevenue')).toEqual([
      'Cedar Bank',
      'Bolt Retail',
      'Acme Telecom',
    ]);
    expect(names('SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1')).toEqual(['Bolt Retail']);
    expect(errorOf('SELECT Name FROM Account OFFSET 2001').errors[0]!.errorCode).toBe(
      'NUMBER_OUTSIDE_VALID_RANGE',
    );
  });

  it('ORDER BY SystemModstamp, Id follows writes, and the keyset predicate resumes after the cursor', () => {
    store.clock.advance(5000);
    store.update('Account', acme, { Type: 'Partner' });
    expect(names('SELECT Name FROM Account ORDER BY SystemModstamp, Id')).toEqual([
      'Bolt Retail',
      'Cedar Bank',
      'Acme Telecom',
    ]);
    expect(names('SELECT Name FROM Account ORDER BY SystemModstamp DESC, Id DESC LIMIT 1')).toEqual([
      'Acme Telecom',
    ]);
    const [, cedar] = executeRecords(q('SELECT Id FROM Account ORDER BY SystemModstamp, Id'), store, false);
    const stamp = new Date(cedar!.SystemModstamp as number).toISOString();
    expect(
      names(
        `SELECT Name FROM Account WHERE SystemModstamp > ${stamp} OR (SystemModstamp = ${stamp} AND Id > '${String(cedar!.Id)}') ORDER BY SystemModstamp, Id`,
      ),
    ).toEqual(['Acme Telecom']);
  });

  it('FIELDS(ALL) needs a LIMIT of at most 200', () => {
    expect(q('SELECT FIELDS(ALL) FROM Account LIMIT 10').columns.length).toBeGreaterThan(10);
    expect(errorOf('SELECT FIELDS(ALL) FROM Account').errors[0]!.errorCode).toBe('MALFORMED_QUERY');
  });

  it('unknown objects, fields and relationships', () => {
    expect(errorOf('SELECT Id FROM Lead').errors[0]!.errorCode).toBe('INVALID_TYPE');
    expect(errorOf('SELECT Revenue FROM Account').errors[0]!.errorCode).toBe('INVALID_FIELD');
    expect(errorOf('SELECT Parent.Name FROM Account').errors[0]!.errorCode).toBe('INVALID_FIELD');
    expect(q('SELECT Owner.Name FROM Account LIMIT 1').columns.length).toBe(1);
    expect(errorOf('SELECT Id FROM Account WHERE').errors[0]!.errorCode).toBe('MALFORMED_QUERY');
  });
});

describe('aggregates', () => {
  it('COUNT() counts matching records', () => {
    expect(
      executeCount(q("SELECT COUNT() FROM Opportunity WHERE StageName = 'Closed Won'"), store, false),
    ).toBe(3);
    expect(errorOf('SELECT COUNT(), Name FROM Account').errors[0]!.errorCode).toBe('MALFORMED_QUERY');
  });

  it('GROUP BY with SUM/COUNT/MAX/MIN/AVG, aliases, exprN, HAVING and ORDER BY an aggregate', () => {
    const rows = executeAggregate(
      q(
        'SELECT AccountId, SUM(Amount) ltv, COUNT(Id), MAX(CloseDate), MIN(Amount), AVG(Amount) FROM Opportunity WHERE IsWon = true GROUP BY AccountId ORDER BY COUNT(Id) DESC',
      ),
      store,
      false,
    );
    expect(rows).toEqual([
      { AccountId: acme, ltv: 350, expr0: 2, expr1: '2026-06-01', expr2: 100, expr3: 175 },
      { AccountId: bolt, ltv: null, expr0: 1, expr1: '2025-01-10', expr2: null, expr3: null },
    ]);
    const having = executeAggregate(
      q('SELECT AccountId, COUNT(Id) n FROM Opportunity GROUP BY AccountId HAVING COUNT(Id) > 1'),
      store,
      false,
    );
    expect(having).toEqual([{ AccountId: acme, n: 3 }]);
    const byParent = executeAggregate(
      q(
        'SELECT Account.Industry, COUNT(Id) n FROM Contact GROUP BY Account.Industry ORDER BY Account.Industry',
      ),
      store,
      false,
    );
    expect(byParent).toEqual([
      { Industry: 'Retail', n: 1 },
      { Industry: 'Telecommunications', n: 1 },
    ]);
  });

  it('a lookup = null filter does not use the parent index; non-groupable fields are refused', () => {
    store.create('Contact', { LastName: 'Orphan' });
    expect(executeRecords(q('SELECT Id FROM Contact WHERE AccountId = null'), store, false)).toHaveLength(1);
    expect(errorOf('SELECT Amount, COUNT(Id) FROM Opportunity GROUP BY Amount').errors[0]!.message).toContain(
      'can not be grouped',
    );
  });

  it('aggregates without GROUP BY give one row; ungrouped fields and SUM of text are refused', () => {
    expect(executeAggregate(q('SELECT SUM(Amount) total FROM Opportunity'), store, false)).toEqual([
      { total: 1349 },
    ]);
    expect(errorOf('SELECT Name, COUNT(Id) FROM Opportunity').errors[0]!.errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf('SELECT SUM(Name) FROM Opportunity').errors[0]!.errorCode).toBe('MALFORMED_QUERY');
  });

  it('Bulk API 2.0 refuses aggregates, OFFSET and child subqueries', () => {
    expect(bulkRefusal(q('SELECT Id, Name FROM Account'))).toBeNull();
    expect(bulkRefusal(q('SELECT COUNT(Id) FROM Account'))).toContain('Aggregate');
    expect(bulkRefusal(q('SELECT Id FROM Account LIMIT 5 OFFSET 1'))).toContain('OFFSET');
    expect(bulkRefusal(q('SELECT Id, (SELECT Id FROM Contacts) FROM Account'))).toContain('subqueries');
  });
});

describe('deleted records', () => {
  it('query hides them, queryAll shows them with IsDeleted = true', () => {
    store.delete('Account', bolt);
    expect(names('SELECT Name FROM Account ORDER BY Name')).toEqual(['Acme Telecom', 'Cedar Bank']);
    expect(names('SELECT Name FROM Account WHERE IsDeleted = true', true)).toEqual(['Bolt Retail']);
    expect(executeRecords(q('SELECT Id FROM Opportunity WHERE IsDeleted = true'), store, true)).toHaveLength(
      1,
    );
  });
});
