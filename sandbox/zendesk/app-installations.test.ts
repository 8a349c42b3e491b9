import { afterEach, describe, expect, it } from 'vitest';
import {
  ZENDESK_SANDBOX_AGENT,
  ZENDESK_SANDBOX_CREDENTIALS as C,
  startZendeskEmulator,
  type ZendeskEmulator,
} from './index.ts';

const basic = (email: string, token: string) =>
  `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
const ADMIN = basic(C.email, C.apiToken);
const AGENT = basic(ZENDESK_SANDBOX_AGENT.email, ZENDESK_SANDBOX_AGENT.apiToken);

let emu: ZendeskEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function call(path: string, init: { method?: string; body?: unknown; auth?: string } = {}) {
  const response = await fetch(`${emu!.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', authorization: init.auth ?? ADMIN },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function installed(): Promise<number> {
  emu = await startZendeskEmulator({ seed: 2, counts: { users: 4, organizations: 1, tickets: 2 } });
  const installation = emu.installApp({
    settings: {
      connector_url: 'https://boucle.test',
      connector_token: 'secret-token',
      costs_callback_minutes: '25',
    },
    secure: ['connector_token'],
  });
  return installation['id'] as number;
}

describe('Zendesk emulator: Apps installation API', () => {
  it('shows an installation to an admin, unwrapped, without its secure settings', async () => {
    const id = await installed();
    const shown = await call(`/api/v2/apps/installations/${id}.json`);
    expect(shown.status).toBe(200);
    expect(shown.json).toMatchObject({ id, product: 'support', enabled: true });
    expect(shown.json['settings']).toEqual({
      name: 'Boucle',
      title: 'Boucle',
      connector_url: 'https://boucle.test',
      costs_callback_minutes: '25',
    });
    expect(shown.json['settings_objects']).toContainEqual({
      name: 'connector_url',
      value: 'https://boucle.test',
    });
    expect(JSON.stringify(shown.json)).not.toContain('secret-token');
    const list = await call('/api/v2/apps/installations.json');
    expect((list.json['installations'] as unknown[]).map((i) => (i as { id: number }).id)).toEqual([id]);
  });

  it('updates only the settings it names, and the next read sees them', async () => {
    const id = await installed();
    const before = emu!.getAppInstallation(id);
    const updated = await call(`/api/v2/apps/installations/${id}.json`, {
      method: 'PUT',
      body: { settings: { policy: '{"version":1}' } },
    });
    expect(updated.status).toBe(200);
    expect(updated.json['settings']).toMatchObject({ policy: '{"version":1}', costs_callback_minutes: '25' });
    expect(emu!.getAppInstallation(id)['settings']).toEqual(updated.json['settings']);
    expect(Date.parse(updated.json['updated_at'] as string)).toBeGreaterThanOrEqual(
      Date.parse(before['updated_at'] as string),
    );
    const renamed = await call(`/api/v2/apps/installations/${id}.json`, {
      method: 'PUT',
      body: { settings: { name: 'Boucle EU' }, enabled: false },
    });
    expect(renamed.json).toMatchObject({
      enabled: false,
      settings: { name: 'Boucle EU', title: 'Boucle EU' },
    });
  });

  it('answers 403 to an agent who is not an admin, and stores nothing', async () => {
    const id = await installed();
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { settings: { policy: 'x' } }],
    ] as const) {
      const res = await call(`/api/v2/apps/installations/${id}.json`, { method, body, auth: AGENT });
      expect(res.status).toBe(403);
      expect(res.json['error']).toBe('Forbidden');
    }
    expect(emu!.getAppInstallation(id)['settings']).not.toHaveProperty('policy');
  });

  it('rejects a bad body with every field at fault, and 404s an unknown installation', async () => {
    const id = await installed();
    const bad = await call(`/api/v2/apps/installations/${id}.json`, {
      method: 'PUT',
      body: { settings: { policy: { nested: true }, name: ' ' }, enabled: 'yes' },
    });
    expect(bad.status).toBe(422);
    expect(bad.json['error']).toBe('RecordInvalid');
    expect(Object.keys(bad.json['details'] as object).sort()).toEqual([
      'enabled',
      'settings.name',
      'settings.policy',
    ]);
    expect(emu!.getAppInstallation(id)['settings']).not.toHaveProperty('policy');
    const notObject = await call(`/api/v2/apps/installations/${id}.json`, {
      method: 'PUT',
      body: { settings: [] },
    });
    expect(notObject.status).toBe(422);
    const base = await call(`/api/v2/apps/installations/${id}.json`, { method: 'PUT', body: [1] });
    expect(Object.keys(base.json['details'] as object)).toEqual(['base']);
    const missing = await call('/api/v2/apps/installations/999.json');
    expect(missing).toEqual({ status: 404, json: { error: 'RecordNotFound', description: 'Not found' } });
  });
});
