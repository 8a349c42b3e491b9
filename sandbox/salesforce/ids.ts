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
