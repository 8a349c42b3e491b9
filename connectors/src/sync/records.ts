import type { FieldMapping, SyncObject } from '../config/sync.ts';

/** Salesforce values arrive typed from REST and as strings from Bulk CSV: normalise both. */

export function toMs(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

export function toDay(value: unknown): string | null {
  const ms = toMs(value);
  return ms === null ? null : new Date(ms).toISOString().slice(0, 10);
}

export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

export function toBool(value: unknown): boolean {
  return value === true || value === 'true' || value === 'TRUE' || value === '1';
}

export function toText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A SOQL datetime literal (UTC). */
export function soqlDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace('.000Z', 'Z') : iso;
}

/** A SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The Salesforce fields read for each object (mapping fields included). */
export function fieldsFor(object: SyncObject, mapping: FieldMapping): string[] {
  const base = ['Id', 'SystemModstamp'];
  switch (object) {
    case 'Account':
      return unique([
        ...base,
        'Name',
        'CreatedDate',
        ...[
          mapping.accountSegment,
          mapping.accountRegion,
          mapping.accountProductLine,
          mapping.accountMarginRate,
        ].filter((field): field is string => field !== undefined),
      ]);
    case 'Contact':
      return [...base, 'AccountId', 'Name', 'Email'];
    case 'Opportunity':
      return unique([
        ...base,
        'AccountId',
        'Name',
        'StageName',
        mapping.opportunityAmount,
        'CloseDate',
        'IsWon',
        'IsClosed',
      ]);
    case 'Order':
      return unique([
        ...base,
        'AccountId',
        'OrderNumber',
        'StatusCode',
        mapping.orderAmount,
        mapping.orderDate,
      ]);
  }
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

export interface AccountRow {
  readonly id: string;
  readonly name: string;
  readonly created: number | null;
  readonly segment: string | null;
  readonly region: string | null;
  readonly productLine: string | null;
  readonly marginRate: number | null;
  readonly modstamp: number;
}

export interface ContactRow {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly email: string | null;
  readonly modstamp: number;
}

export interface TxnRow {
  readonly id: string;
  readonly object: 'Opportunity' | 'Order';
  readonly accountId: string;
  readonly name: string | null;
  readonly status: string | null;
  readonly amount: number;
  readonly date: string | null;
  readonly revenue: boolean;
  readonly open: boolean;
  readonly modstamp: number;
}

export type MirrorRow =
  | { readonly object: 'Account'; readonly row: AccountRow }
  | { readonly object: 'Contact'; readonly row: ContactRow }
  | { readonly object: 'Opportunity' | 'Order'; readonly row: TxnRow };

/** Turns a Salesforce record (REST or Bulk) into the mirror row; throws on a record without Id/SystemModstamp. */
export function toMirrorRow(
  object: SyncObject,
  record: Record<string, unknown>,
  mapping: FieldMapping,
): MirrorRow {
  const id = toText(record.Id);
  const modstamp = toMs(record.SystemModstamp);
  if (id === null || modstamp === null) throw new Error(`${object} record without Id or SystemModstamp`);
  switch (object) {
    case 'Account': {
      const margin =
        mapping.accountMarginRate === undefined ? null : toNumber(record[mapping.accountMarginRate]);
      return {
        object,
        row: {
          id,
          name: toText(record.Name) ?? id,
          created: toMs(record.CreatedDate),
          segment: mapping.accountSegment === undefined ? null : toText(record[mapping.accountSegment]),
          region: mapping.accountRegion === undefined ? null : toText(record[mapping.accountRegion]),
          productLine:
            mapping.accountProductLine === undefined ? null : toText(record[mapping.accountProductLine]),
          marginRate: margin === null ? null : margin > 1 ? margin / 100 : margin,
          modstamp,
        },
      };
    }
    case 'Contact':
      return {
        object,
        row: {
          id,
          accountId: toText(record.AccountId) ?? '',
          name: toText(record.Name) ?? toText(record.Email) ?? id,
          email: toText(record.Email)?.toLowerCase() ?? null,
          modstamp,
        },
      };
    case 'Opportunity': {
      const won = toBool(record.IsWon);
      const closed = toBool(record.IsClosed);
      return {
        object,
        row: {
          id,
          object,
          accountId: toText(record.AccountId) ?? '',
          name: toText(record.Name),
          status: toText(record.StageName),
          amount: toNumber(record[mapping.opportunityAmount]) ?? 0,
          date: toDay(record.CloseDate),
          revenue: won,
          open: !closed,
          modstamp,
        },
      };
    }
    case 'Order': {
      const status = toText(record.StatusCode);
      return {
        object,
        row: {
          id,
          object,
          accountId: toText(record.AccountId) ?? '',
          name: toText(record.OrderNumber),
          status,
          amount: toNumber(record[mapping.orderAmount]) ?? 0,
          date: toDay(record[mapping.orderDate]),
          revenue: status === 'Activated',
          open: false,
          modstamp,
        },
      };
    }
  }
}
