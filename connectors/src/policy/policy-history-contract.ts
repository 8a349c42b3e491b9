/** The policy history's contract, run on SQLite (policy-history.test.ts) and PostgreSQL (….pg.test.ts). Tests only. */
import { expect } from 'vitest';
import { DEFAULT_SETTINGS, policyFromSettings } from '../../../shared/src/index.ts';
import type { Policy } from '../../../shared/src/index.ts';
import type { Sql } from '../store/sql.ts';
import { getPolicyVersion, listPolicyVersions, recordPolicyVersion } from './policy-history.ts';

export const policyV = (version: number, gold: number, reason: string): Policy => {
  const policy = policyFromSettings(DEFAULT_SETTINGS, {
    version,
    savedAt: `2026-12-0${version}T09:00:00Z`,
    savedBy: { id: 10 + version, name: `Admin ${version}` },
    reason,
  }).data!;
  return { ...policy, callbackWindowHours: { ...policy.callbackWindowHours, gold } };
};

export async function checkHistoryContract(sql: Sql): Promise<void> {
  expect(await recordPolicyVersion(sql, policyV(1, 24, 'Imported from the app settings'), 1000)).toBe(
    'recorded',
  );
  expect(await recordPolicyVersion(sql, policyV(2, 12, 'Gold within 12 h'), 2000)).toBe('recorded');
  expect(await recordPolicyVersion(sql, policyV(2, 12, 'Gold within 12 h'), 3000)).toBe('known');
  await expect(recordPolicyVersion(sql, policyV(2, 6, 'Gold within 6 h'), 4000)).rejects.toThrow(
    /version 2 is already recorded with a different document/,
  );
  const list = await listPolicyVersions(sql);
  expect(list.map((v) => [v.version, v.savedBy.id, v.savedBy.name, v.reason])).toEqual([
    [2, 12, 'Admin 2', 'Gold within 12 h'],
    [1, 11, 'Admin 1', 'Imported from the app settings'],
  ]);
  expect(typeof list[0]?.version).toBe('number');
  expect(list[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect((await getPolicyVersion(sql, 1))?.callbackWindowHours.gold).toBe(24);
  expect(await getPolicyVersion(sql, 2)).toEqual(policyV(2, 12, 'Gold within 12 h'));
  expect(await getPolicyVersion(sql, 3)).toBeUndefined();
  await sql.run("UPDATE policy_versions SET document = '{}' WHERE version = 1");
  await expect(getPolicyVersion(sql, 1)).rejects.toThrow(/does not parse/);
}
