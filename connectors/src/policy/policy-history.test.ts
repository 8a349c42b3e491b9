import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ZENDESK_SANDBOX_CREDENTIALS as C,
  startZendeskEmulator,
  type ZendeskEmulator,
} from '../../../sandbox/zendesk/index.ts';
import { serializePolicy } from '../../../shared/src/index.ts';
import { openStore } from '../store/index.ts';
import { sqliteSql } from '../store/sql.ts';
import { ZendeskClient } from '../zendesk/index.ts';
import { checkHistoryContract, policyV } from './policy-history-contract.ts';
import { POLICY_SCHEMA, listPolicyVersions, syncPolicyHistory } from './policy-history.ts';

describe('policy history (connector database)', () => {
  it('appends versions, lists them newest first, gives each document back, and never rewrites one (SQLite)', async () => {
    await checkHistoryContract(sqliteSql(openStore(':memory:', [POLICY_SCHEMA])));
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
      const sql = sqliteSql(openStore(':memory:', [POLICY_SCHEMA]));
      const id = emu.installApp({ settings: { connector_url: 'https://boucle.test' } })['id'] as number;
      const admin = new ZendeskClient({
        baseUrl: emu.url,
        auth: { kind: 'apiToken', email: C.email, token: C.apiToken },
      });
      expect(await syncPolicyHistory(sql, admin, id, 1)).toBe('none');
      await admin.updateAppInstallationSettings(id, { policy: serializePolicy(policyV(1, 12, 'First')) });
      expect(await syncPolicyHistory(sql, admin, id, 2)).toBe('recorded');
      expect(await syncPolicyHistory(sql, admin, id, 3)).toBe('known');
      expect((await listPolicyVersions(sql)).map((v) => v.version)).toEqual([1]);
    });
  });
});
