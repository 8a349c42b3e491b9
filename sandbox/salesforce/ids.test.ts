import { describe, expect, it } from 'vitest';
import { IdIndex, idChecksum, makeId, toId18 } from './ids.ts';

describe('ids', () => {
  it('computes the case-checksum suffix of 15-character ids', () => {
    expect(idChecksum('001A0000006Vm9r')).toBe('IAC');
    expect(toId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(toId18('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    expect(toId18('001A0000006Vm9riac')).toBe('001A0000006Vm9rIAC');
    expect(toId18('001A0000006Vm9rXXX')).toBeNull();
    expect(toId18('not-an-id')).toBeNull();
  });

  it('issues ids that sort in issue order and carry their key prefix', () => {
    const ids = [1, 61, 62, 3843, 3844, 1_000_000].map((n) => makeId('003', n));
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) {
      expect(id).toMatch(/^0038d0[0-9A-Za-z]{12}$/);
      expect(toId18(id.slice(0, 15))).toBe(id);
    }
  });

  it('IdIndex finds issued and foreign ids, and forgets deleted ones', () => {
    const index = new IdIndex<{ Id: string }>();
    const issued = { Id: makeId('001', 7) };
    const foreign = { Id: '001A0000006Vm9rIAC' };
    const farAway = { Id: makeId('001', 900_000_000) };
    for (const r of [issued, foreign, farAway]) index.set(r.Id, r);
    expect(index.get(issued.Id)).toBe(issued);
    expect(index.get(foreign.Id)).toBe(foreign);
    expect(index.get(farAway.Id)).toBe(farAway);
    expect(index.has(makeId('001', 8))).toBe(false);
    index.delete(issued.Id);
    index.delete(foreign.Id);
    expect(index.get(issued.Id)).toBeUndefined();
    expect(index.get(foreign.Id)).toBeUndefined();
  });
});
