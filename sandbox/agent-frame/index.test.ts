import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startZendeskEmulator,
  ZENDESK_SANDBOX_AGENT,
  ZENDESK_SANDBOX_CREDENTIALS,
} from '../zendesk/index.ts';
import type { ZendeskEmulator } from '../zendesk/index.ts';
import { SESSION_COOKIE, startAgentFrame, ZAF_SDK_PATH } from './index.ts';
import type { FrameConfig, RunningAgentFrame } from './index.ts';

let zendesk: ZendeskEmulator;
let frame: RunningAgentFrame;
const FRAME = { 'x-agent-frame': '1' };

beforeAll(async () => {
  zendesk = await startZendeskEmulator({ seed: 3 });
  frame = await startAgentFrame({
    zendesk: { url: zendesk.url, ...ZENDESK_SANDBOX_CREDENTIALS },
    appDir: path.join(import.meta.dirname, 'probe-app'),
    settings: { apiBase: 'http://127.0.0.1:9', apiToken: 'server-side-only' },
    agentSession: ZENDESK_SANDBOX_AGENT,
  });
});

afterAll(async () => {
  await frame?.close();
  await zendesk?.close();
});

describe('startAgentFrame servers', () => {
  it('serves the host on localhost and the app on 127.0.0.1, on different ports', () => {
    expect(frame.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(frame.appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(frame.url).port).not.toBe(new URL(frame.appUrl).port);
    expect(frame.ticketUrl(12)).toBe(`${frame.url}/agent/tickets/12`);
  });

  it('gives the page a config without any secure setting', async () => {
    const config = (await (await fetch(`${frame.url}/agent/frame.json`)).json()) as FrameConfig;
    expect(config.appPath).toBe('/assets/iframe.html');
    expect(config.metadata['settings']).toEqual({ apiBase: 'http://127.0.0.1:9', title: 'Boucle ZAF probe' });
    expect(JSON.stringify(config)).not.toContain('server-side-only');
  });

  it("proxies /api/v2 with the agent's credentials, only for the agent page", async () => {
    const refused = await fetch(`${frame.url}/api/v2/users/me.json`);
    expect(refused.status).toBe(403);
    const me = await fetch(`${frame.url}/api/v2/users/me.json`, { headers: FRAME });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(
      ZENDESK_SANDBOX_CREDENTIALS.email,
    );
    const missing = await fetch(`${frame.url}/api/v2/tickets/987654321.json`, { headers: FRAME });
    expect(missing.status).toBe(404);
  });

  it('?role=agent signs the page in as the non-admin agent: its session cookie picks the credentials', async () => {
    const page = await fetch(`${frame.url}/agent/tickets/1?role=agent`);
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=agent; .*HttpOnly`));
    const session = { ...FRAME, cookie: cookie.split(';')[0]! };
    const me = (await (await fetch(`${frame.url}/api/v2/users/me.json`, { headers: session })).json()) as {
      user: { email: string; role: string };
    };
    expect(me.user).toMatchObject({ email: ZENDESK_SANDBOX_AGENT.email, role: 'agent' });
    // Zendesk refuses the agent an admin-only endpoint; the admin's session reaches it.
    const installation = zendesk.installApp({ settings: {} }) as { id: number };
    const put = (headers: Record<string, string>) =>
      fetch(`${frame.url}/api/v2/apps/installations/${installation.id}.json`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ settings: {} }),
      });
    expect((await put(session)).status).toBe(403);
    expect((await put(FRAME)).status).toBe(200);
    // A page loaded without a role is the admin's again.
    const admin = await fetch(`${frame.url}/agent/tickets/1`);
    expect(admin.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=admin;`));
    expect((await fetch(`${frame.url}/agent/tickets/1?role=owner`)).status).toBe(400);
  });

  it('refuses ?role=agent when the frame has no agent session', async () => {
    const bare = await startAgentFrame({
      zendesk: { url: zendesk.url, ...ZENDESK_SANDBOX_CREDENTIALS },
      appDir: path.join(import.meta.dirname, 'probe-app'),
      settings: { apiBase: 'http://127.0.0.1:9', apiToken: 'x' },
    });
    try {
      const page = await fetch(`${bare.url}/agent/tickets/1?role=agent`);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('agentSession');
    } finally {
      await bare.close();
    }
  });

  it('refuses secure requests to hosts outside the domainWhitelist', async () => {
    const response = await fetch(`${frame.url}/agent/zaf-proxy`, {
      method: 'POST',
      headers: { ...FRAME, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: 'http://localhost:9/x',
        secure: true,
        headers: { A: '{{setting.apiToken}}' },
      }),
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('not in the app');
  });

  it('serves the SDK bundle and only assets/ from the app origin, with the CDN script rewritten', async () => {
    const sdk = await fetch(`${frame.appUrl}${ZAF_SDK_PATH}`);
    expect(sdk.headers.get('content-type')).toContain('javascript');
    expect(await sdk.text()).toContain('ZAFClient');
    const html = await (await fetch(`${frame.appUrl}/assets/iframe.html`)).text();
    expect(html).toContain(`<script src="${ZAF_SDK_PATH}"></script>`);
    expect((await fetch(`${frame.appUrl}/manifest.json`)).status).toBe(404);
    expect((await fetch(`${frame.appUrl}/assets/%2e%2e/manifest.json`)).status).toBe(404);
    expect((await fetch(`${frame.appUrl}/assets/missing.js`)).status).toBe(404);
  });
});
