import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ZENDESK_SANDBOX_AGENT,
  ZENDESK_SANDBOX_CREDENTIALS as C,
  startZendeskEmulator,
  type ZendeskEmulator,
} from '../../../sandbox/zendesk/index.ts';
import { parseSettings, policyFromSettings, serializePolicy } from '../../../shared/src/index.ts';
import { ZendeskApiError, ZendeskClient } from '../zendesk/index.ts';
import { readInstallationSettings } from './installation-policy.ts';

let emu: ZendeskEmulator;
let installationId: number;

const FLAT = { connector_url: 'https://boucle.test', callback_window_hours_gold: '12', locale: 'fr' };

beforeEach(async () => {
  emu = await startZendeskEmulator({ seed: 4, counts: { users: 4, organizations: 1, tickets: 2 } });
  installationId = emu.installApp({
    settings: { ...FLAT, connector_token: 'secret' },
    secure: ['connector_token'],
  })['id'] as number;
});

afterEach(async () => {
  await emu.close();
});

const client = (email: string, token: string) =>
  new ZendeskClient({ baseUrl: emu.url, auth: { kind: 'apiToken', email, token }, maxRetries: 0 });

describe('readInstallationSettings (connector, through the Zendesk client)', () => {
  it("reads the installation's flat settings while no policy is saved", async () => {
    const read = await readInstallationSettings(client(C.email, C.apiToken), installationId);
    expect(read.source).toBe('settings');
    expect(read.policy).toBeUndefined();
    expect(read.settings).toEqual(parseSettings(FLAT).data);
  });

  it('reads the policy an admin saved, on the next read, without a restart', async () => {
    const admin = client(C.email, C.apiToken);
    const first = parseSettings(FLAT).data!;
    const policy = policyFromSettings(first, {
      version: 1,
      savedAt: '2026-12-02T18:00:00Z',
      savedBy: { id: 1, name: 'Ada Admin' },
      reason: 'Gold within 6 h',
    }).data!;
    const changed = { ...policy, callbackWindowHours: { ...policy.callbackWindowHours, gold: 6 } };
    await admin.updateAppInstallationSettings(installationId, { policy: serializePolicy(changed) });
    const read = await readInstallationSettings(admin, installationId);
    expect(read.source).toBe('policy');
    expect(read.policy?.version).toBe(1);
    expect(read.settings.callbackWindowHours.gold).toBe(6);
    expect(read.settings.locale).toBe('fr');
    expect(read.settings.connectorUrl).toBe('https://boucle.test');
  });

  it("is refused to an agent's credentials: Zendesk's 403, and nothing is written", async () => {
    const agent = client(ZENDESK_SANDBOX_AGENT.email, ZENDESK_SANDBOX_AGENT.apiToken);
    const write = agent.updateAppInstallationSettings(installationId, { policy: '{}' });
    await expect(write).rejects.toBeInstanceOf(ZendeskApiError);
    await expect(write).rejects.toMatchObject({ status: 403 });
    await expect(readInstallationSettings(agent, installationId)).rejects.toMatchObject({ status: 403 });
    expect(emu.getAppInstallation(installationId)['settings']).not.toHaveProperty('policy');
  });

  it('says which setting is wrong when the installation holds a bad value', async () => {
    const admin = client(C.email, C.apiToken);
    await admin.updateAppInstallationSettings(installationId, { callback_window_hours_gold: 'soon' });
    await expect(readInstallationSettings(admin, installationId)).rejects.toThrow(
      /installation \d+ are not valid:\n {2}callbackWindowHours\.gold: "soon" is not a number/,
    );
    const [listed] = await admin.listAppInstallations();
    expect(listed?.id).toBe(installationId);
  });
});
