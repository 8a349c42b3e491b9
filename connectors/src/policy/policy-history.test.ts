import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ZENDESK_SANDBOX_CREDENTIALS as C,
  startZendeskEmulator,
  type ZendeskEmulator,
} from '../../../sandbox/zendesk/index.ts';
import { DEFAULT_SETTINGS, policyFromSettings, serializePolicy } from '../../../shared/src/index.ts';
import type { Policy } from '../../../shared/src/index.ts';
import { openStore } from '../store/index.ts';
import { ZendeskClient } from '../zendesk/index.ts';
import {
  POLICY_SCHEMA,
  getPolicyVersion,
  listPolicyVersions,
  recordPolicyVersion,
  syncPolicyHistory,
} from './policy-history.ts';

const policyV = (version: number, gold: number, reason: string): Policy => {
  const policy = policyFromSettings(DEFAULT_SETTINGS, {
    version,
    savedAt: `2026-12-0${version}T09:00:00Z`,
    savedBy: { id: 10 + version, name: `Admin ${version}` },
    reason,
  }).data!;
  return { ...policy, callbackWindowHours: { ...policy.callbackWindowHours, gold } };
};

describe('policy history (connector database)', () => {
  it('appends versions, lists them newest first, gives each document back, and never rewrites one', () => {
    const db = openStore(':memory:', [POLICY_SCHEMA]).db;
    expect(recordPolicyVersion(db, policyV(1, 24, 'Imported from the app settings'), 1000)).toBe('recorded');
    expect(recordPolicyVersion(db, policyV(2, 12, 'Gold within 12 h'), 2000)).toBe('recorded');
    expect(recordPolicyVersion(db, policyV(2, 12, 'Gold within 12 h'), 3000)).toBe('known');
    expect(() => recordPolicyVersion(db, policyV(2, 6, 'Gold within 6 h'), 4000)).toThrow(
      /version 2 is already recorded with a different document/,
    );
    const list = listPolicyVersions(db);
    expect(list.map((v) => [v.version, v.savedBy.name, v.reason])).toEqual([
      [2, 'Admin 2', 'Gold within 12 h'],
      [1, 'Admin 1', 'Imported from the app settings'],
    ]);
    expect(list[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(getPolicyVersion(db, 1)?.callbackWindowHours.gold).toBe(24);
    expect(getPolicyVersion(db, 2)).toEqual(policyV(2, 12, 'Gold within 12 h'));
    expect(getPolicyVersion(db, 3)).toBeUndefined();
    db.prepare("UPDATE policy_versions SET document = '{}' WHERE version = 1").run();
    expect(() => getPolicyVersion(db, 1)).toThrow(/does not parse/);
  });

  describe('syncPolicyHistory, against the Zendesk emulator', () => {
    let emu: ZendeskEmulator;
    beforeEach(async () => {
      emu = await startZendeskEmulator({ seed: 6, counts: { users: 4, organizations: 1, tickets: 2 } });
    });
    afterEach(async () => {
      await emu.close();
    });

    it('records what the installation holds, once, and nothing before a policy is saved', async () => {
      const db = openStore(':memory:', [POLICY_SCHEMA]).db;
      const id = emu.installApp({ settings: { connector_url: 'https://boucle.test' } })['id'] as number;
      const admin = new ZendeskClient({
        baseUrl: emu.url,
        auth: { kind: 'apiToken', email: C.email, token: C.apiToken },
      });
      expect(await syncPolicyHistory(db, admin, id, 1)).toBe('none');
      await admin.updateAppInstallationSettings(id, { policy: serializePolicy(policyV(1, 12, 'First')) });
      expect(await syncPolicyHistory(db, admin, id, 2)).toBe('recorded');
      expect(await syncPolicyHistory(db, admin, id, 3)).toBe('known');
      expect(listPolicyVersions(db).map((v) => v.version)).toEqual([1]);
    });
  });
});
