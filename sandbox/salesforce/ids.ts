/** Salesforce record ids: 15 case-sensitive characters plus a 3-character case-insensitive checksum. */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Key prefixes of the objects and entities the emulator issues ids for. */
export const KEY_PREFIX = {
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  Order: '801',
  Organization: '00D',
  User: '005',
  Task: '00T',
  BulkJob: '750',
  QueryLocator: '01g',
} as const;

/** The 3-character suffix that makes a 15-character id unique without regard to case. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX[bits];
  }
  return suffix;
}

/**
 * The n-th id of a key prefix: prefix + 2-character instance + '0' + 9 base62 digits, + checksum.
 * Ids of one prefix sort (as strings) in the order they were issued.
 */
export function makeId(prefix: string, n: number, instance = '8d'): string {
  let digits = '';
  let rest = n;
  for (let i = 0; i < 9; i += 1) {
    digits = BASE62[rest % 62]! + digits;
    rest = Math.floor(rest / 62);
  }
  const id15 = `${prefix}${instance}0${digits}`;
  return id15 + idChecksum(id15);
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The 18-character form of a 15- or 18-character id, or null when the text is not an id. */
export function toId18(text: string): string | null {
  if (!ID_PATTERN.test(text)) return null;
  const id15 = text.slice(0, 15);
  const id18 = id15 + idChecksum(id15);
  if (text.length === 18 && text.slice(15).toUpperCase() !== id18.slice(15)) return null;
  return id18;
}

function base62Digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (code >= 97 && code <= 122) return code - 61;
  return -1;
}

/**
 * Id → record, without a hash map for the ids the emulator issues itself: makeId() ids carry their sequence
 * number, so they index a dense array per key prefix. Other ids (from data files) go to a Map.
 */
export class IdIndex<T extends Readonly<Record<string, unknown>>> {
  private readonly dense = new Map<string, (T | undefined)[]>();
  private readonly other = new Map<string, T>();

  private slot(id: string, create = false): { list: (T | undefined)[]; seq: number } | null {
    if (id.length !== 18 || id.charCodeAt(5) !== 48) return null;
    let seq = 0;
    for (let i = 6; i < 15; i += 1) {
      const d = base62Digit(id.charCodeAt(i));
      if (d < 0) return null;
      seq = seq * 62 + d;
    }
    const prefix = id.slice(0, 5);
    let list = this.dense.get(prefix);
    if (list === undefined) {
      if (!create) return null;
      list = [];
      this.dense.set(prefix, list);
    }
    return seq <= list.length + 1_000_000 ? { list, seq } : null;
  }

  get(id: string): T | undefined {
    const s = this.slot(id);
    if (s !== null) {
      const rec = s.list[s.seq];
      if (rec !== undefined && rec.Id === id) return rec;
    }
    return this.other.get(id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  set(id: string, rec: T): void {
    const s = this.slot(id, true);
    const current = s === null ? undefined : s.list[s.seq];
    if (s !== null && (current === undefined || current.Id === id)) s.list[s.seq] = rec;
    else this.other.set(id, rec);
  }

  delete(id: string): void {
    const s = this.slot(id);
    if (s !== null && s.list[s.seq]?.Id === id) s.list[s.seq] = undefined;
    else this.other.delete(id);
  }
}
