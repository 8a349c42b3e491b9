/**
 * The agent frame in real Chromium: the Zendesk emulator, the frame (host on localhost, app on 127.0.0.1),
 * the real ZAF SDK (npm bundle), and the probe app, which exercises each ZAF message kind.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchChromium } from '../chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZendeskEmulator, ZENDESK_SANDBOX_CREDENTIALS } from '../zendesk/index.ts';
import type { ZendeskEmulator } from '../zendesk/index.ts';
import { startAgentFrame } from './index.ts';
import type { RunningAgentFrame } from './index.ts';
import { openTicket, routeZafSdk } from './testing.ts';

const SECRET = 'probe-secret-7d2f9a';
const URL_ONLY_SECRET = 'url-only-secret-51c3';
const AUTH = `Basic ${Buffer.from(`${ZENDESK_SANDBOX_CREDENTIALS.email}/token:${ZENDESK_SANDBOX_CREDENTIALS.apiToken}`).toString('base64')}`;

interface EchoHit {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Check {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: { name?: string; message?: string; status?: number; responseText?: string };
}

let zendesk: ZendeskEmulator;
let frame: RunningAgentFrame;
let echo: Server;
let echoUrl: string;
const echoHits: EchoHit[] = [];
let browser: Browser;
let context: BrowserContext;
let page: Page;
let app: Frame;
let results: Record<string, Check>;
let ticketId: number;
let customFieldId: number;

async function zendeskApi<T>(pathname: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${zendesk.url}${pathname}`, {
    method: init.method ?? 'GET',
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (!response.ok) throw new Error(`${pathname} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  zendesk = await startZendeskEmulator({ seed: 7 });
  const field = await zendeskApi<{ ticket_field: { id: number } }>('/api/v2/ticket_fields.json', {
    method: 'POST',
    body: { ticket_field: { type: 'text', title: 'Probe notes' } },
  });
  customFieldId = field.ticket_field.id;
  const { tickets } = await zendeskApi<{
    tickets: { id: number; organization_id: number | null; status: string }[];
  }>('/api/v2/tickets.json?per_page=100');
  const target = tickets.find(
    (t) => t.organization_id !== null && t.status !== 'closed' && t.status !== 'solved',
  );
  if (target === undefined) throw new Error('The seeded emulator has no open ticket with an organisation.');
  ticketId = target.id;

  echo = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      echoHits.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      // Never echo what was received: the iframe must not learn the secret.
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ received: true, path: req.url }));
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;

  frame = await startAgentFrame({
    zendesk: { url: zendesk.url, ...ZENDESK_SANDBOX_CREDENTIALS },
    appDir: path.join(import.meta.dirname, 'probe-app'),
    settings: { apiBase: echoUrl, apiToken: SECRET, urlOnlyToken: URL_ONLY_SECRET },
    locale: 'fr',
    hookTimeoutMs: 5000,
  });

  browser = await launchChromium();
  context = await browser.newContext();
  // Nothing leaves the machine: the CDN URL (if an app still asks for it) is served from the frame's bundle.
  await routeZafSdk(context, frame);
  page = await context.newPage();
  app = await openTicket(page, frame, ticketId);
  await page.evaluate(() => window.__agentFrame!.emit('probe.ping', { from: 'host' }));
  await app.waitForSelector('body[data-done="true"]', { timeout: 30_000 });
  results = JSON.parse((await app.textContent('#results')) ?? '{}') as Record<string, Check>;
});

afterAll(async () => {
  await browser?.close();
  await frame?.close();
  await zendesk?.close();
  await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
});

const value = (name: string): Record<string, unknown> => {
  const check = results[name];
  expect(check, name).toBeDefined();
  expect(check!.ok, `${name}: ${JSON.stringify(check!.error)}`).toBe(true);
  return check!.value as Record<string, unknown>;
};

describe('agent frame + probe app (real SDK, cross-origin)', () => {
  it('hosts the app on another origin and registers it with context and non-secure settings only', async () => {
    expect(frame.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(
      app
        .url()
        .startsWith(`${frame.appUrl}/assets/iframe.html?origin=${encodeURIComponent(frame.url)}&app_guid=`),
    ).toBe(true);
    expect(value('context')).toMatchObject({
      product: 'support',
      location: 'ticket_sidebar',
      ticketId,
      account: { subdomain: ZENDESK_SANDBOX_CREDENTIALS.subdomain },
    });
    const metadata = value('metadata') as { settings: Record<string, unknown> };
    expect(metadata.settings['apiBase']).toBe(echoUrl);
    expect(metadata.settings).not.toHaveProperty('apiToken');
    const log = await page.evaluate(() => window.__agentFrame!.log());
    expect(log[0]).toMatchObject({ dir: 'in', message: { key: 'iframe.handshake' } });
    expect(log[1]).toMatchObject({ dir: 'out', message: { key: 'zaf.app.registered' } });
    const activated = (value('events') as unknown as { event: string }[]).some(
      (e) => e.event === 'app.activated',
    );
    expect(activated).toBe(true);
  });

  it('answers get with the emulator ticket, per-path errors, and rejects an unknown single path', async () => {
    const { ticket } = await zendeskApi<{
      ticket: { subject: string; requester_id: number; organization_id: number };
    }>(`/api/v2/tickets/${ticketId}.json`);
    expect(value('get.single')).toMatchObject({ 'ticket.subject': ticket.subject, errors: {} });
    const many = value('get.many');
    expect(many['ticket.id']).toBe(ticketId);
    expect(many['ticket.requester.id']).toBe(ticket.requester_id);
    expect(many['ticket.organization']).toMatchObject({ id: ticket.organization_id });
    expect(many['currentUser']).toMatchObject({ locale: 'fr', email: ZENDESK_SANDBOX_CREDENTIALS.email });
    expect(many['currentAccount']).toMatchObject({ subdomain: ZENDESK_SANDBOX_CREDENTIALS.subdomain });
    expect(
      Array.isArray(many['ticket.comments']) && (many['ticket.comments'] as unknown[]).length,
    ).toBeGreaterThan(0);
    expect(many['errors']).toEqual({
      'ticket.nope': { name: 'APIUnavailable', message: 'No such API', path: 'ticket.nope' },
    });
    expect(results['get.unknown']).toMatchObject({
      ok: false,
      error: { message: '"ticket.nope" No such API' },
    });
    expect(many['ticketFields']).toContainEqual(
      expect.objectContaining({ name: `custom_field_${customFieldId}`, label: 'Probe notes', type: 'text' }),
    );
    expect(value('get.customField')).toEqual({
      [`ticket.customField:custom_field_${customFieldId}`]: null,
      errors: {},
    });
  });

  it('applies set to the ticket form with change events, and reports bad values per path', async () => {
    expect(value('set.priority')).toMatchObject({ result: { 'ticket.priority': 'high' }, event: 'high' });
    expect(results['set.invalid']).toMatchObject({ ok: false });
    expect(results['set.invalid']!.error!.message).toContain('"ticket.priority" Invalid value "bogus"');
    const many = value('set.many');
    expect(many['ticket.status']).toBe('pending');
    expect((many['errors'] as Record<string, { message: string }>)['ticket.type']!.message).toContain(
      'question, incident, problem, task',
    );
    expect(value('set.customField')).toMatchObject({ event: 'set by probe' });
    const state = await page.evaluate(() => window.__agentFrame!.state());
    expect(state['form']).toMatchObject({
      priority: 'high',
      status: 'pending',
      tags: expect.arrayContaining(['probe_a']) as unknown,
    });
    // Like Zendesk, nothing is saved before Submit.
    const { ticket } = await zendeskApi<{ ticket: { priority: string } }>(`/api/v2/tickets/${ticketId}.json`);
    expect(ticket.priority).not.toBe('high');
    expect(await page.inputValue('select[data-path="ticket.priority"]')).toBe('high');
  });

  it('runs invoke: tags, resize, notify, comment.appendText, telemetry, and rejects unknown actions', async () => {
    const tags = value('invoke.tags') as { tags: string[]; event: string[] };
    expect(tags.tags).toContain('probe_a');
    expect(tags.tags).not.toContain('probe_b');
    expect(tags.event).toEqual(tags.tags);
    expect(results['invoke.resize']!.ok).toBe(true);
    expect(
      await page.evaluate(
        () => (document.querySelector('iframe.af-app-frame') as HTMLIFrameElement).style.height,
      ),
    ).toBe('420px');
    expect(results['invoke.notify']!.ok).toBe(true);
    await expect(page.locator('.af-toast', { hasText: 'Probe says hello' }).count()).resolves.toBeGreaterThan(
      0,
    );
    expect(value('invoke.appendText')).toMatchObject({ 'comment.text': 'Reply drafted by the probe.' });
    expect(await page.inputValue('textarea.af-composer-text')).toBe('Reply drafted by the probe.');
    expect(results['invoke.track']!.ok).toBe(true);
    expect(results['invoke.unknown']).toMatchObject({
      ok: false,
      error: { message: '"nope.action" No such API' },
    });
  });

  it('proxies relative /api/v2 requests to the emulator with the agent session', () => {
    expect(value('request.fields')).toMatchObject({ customFieldId });
    expect(value('request.ticket')).toMatchObject({ id: ticketId });
    expect(results['request.notFound']).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it('substitutes secure settings server-side only for secure requests, whitelisted hosts and allowed scopes', async () => {
    expect(value('request.secure')).toEqual({ received: true, path: '/echo/secure' });
    const secure = echoHits.find((h) => h.path === '/echo/secure');
    expect(secure?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(secure!.body)).toEqual({ token: SECRET });
    const insecure = echoHits.find((h) => h.path === '/echo/insecure');
    expect(insecure?.headers.authorization).toBe('Bearer {{setting.apiToken}}');
    expect(results['request.scopeRefused']).toMatchObject({ ok: false, error: { status: 400 } });
    expect(results['request.notWhitelisted']).toMatchObject({ ok: false, error: { status: 403 } });
    expect(echoHits.some((h) => h.path === '/echo/scope' || h.path === '/echo/elsewhere')).toBe(false);
    // The iframe never saw a secret: not in its DOM, not in any message exchanged.
    const log = JSON.stringify(await page.evaluate(() => window.__agentFrame!.log()));
    const appHtml = await app.content();
    // The frame rewrote the CDN <script src> to its own bundle, so the app also runs in a plain browser.
    expect(appHtml).toContain('<script src="/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js"></script>');
    for (const text of [log, appHtml, JSON.stringify(results), await page.content()]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(URL_ONLY_SECRET);
    }
  });

  it('delivers host events to app listeners', () => {
    expect(value('event.custom')).toEqual({ from: 'host' });
  });

  it("sends the agent's own form edits to the app as change events", async () => {
    await page.selectOption('select.af-submit-status', 'hold');
    await app.waitForFunction(() =>
      (window as unknown as { probeEvents: { event: string; data: unknown }[] }).probeEvents.some(
        (e) => e.event === 'ticket.status.changed' && e.data === 'hold',
      ),
    );
    expect(await page.evaluate(() => window.__agentFrame!.state()['form'])).toMatchObject({ status: 'hold' });
  });

  it('renders the conversation as text, never as HTML', async () => {
    const { comments } = await zendeskApi<{ comments: { id: number; body: string }[] }>(
      `/api/v2/tickets/${ticketId}/comments.json`,
    );
    const first = comments[0]!;
    const shown = await page.textContent(`[data-comment-id="${first.id}"] .af-comment-body`);
    expect(shown).toBe(first.body);
    expect(await page.locator('.af-comment-body script, .af-comment-body b').count()).toBe(0);
  });

  it('Submit fires ticket.save; a blocking app stops the save, an approving one gets it PUT and ticket.submit.done', async () => {
    await app.evaluate(() => {
      (window as unknown as { probeBlockSave: string | null }).probeBlockSave = 'Blocked by the probe';
    });
    const blocked = await page.evaluate(() => window.__agentFrame!.submit());
    expect(blocked).toEqual({ ok: false, message: 'Blocked by the probe' });
    const before = await zendeskApi<{ ticket: { priority: string; tags: string[] } }>(
      `/api/v2/tickets/${ticketId}.json`,
    );
    expect(before.ticket.tags).not.toContain('probe_a');

    await app.evaluate(() => {
      (window as unknown as { probeBlockSave: string | null }).probeBlockSave = null;
    });
    await page.click('button.af-submit');
    await page.locator('.af-toast', { hasText: `Ticket #${ticketId} updated.` }).waitFor();
    const { ticket } = await zendeskApi<{
      ticket: {
        priority: string;
        status: string;
        tags: string[];
        custom_fields: { id: number; value: unknown }[];
      };
    }>(`/api/v2/tickets/${ticketId}.json`);
    expect(ticket.priority).toBe('high');
    expect(ticket.status).toBe('hold');
    expect(ticket.tags).toContain('probe_a');
    expect(ticket.custom_fields).toContainEqual({ id: customFieldId, value: 'set by probe' });
    const { comments } = await zendeskApi<{ comments: { body: string; public: boolean }[] }>(
      `/api/v2/tickets/${ticketId}/comments.json`,
    );
    expect(comments.at(-1)).toMatchObject({ body: 'Reply drafted by the probe.', public: true });
    await expect(
      page.locator('.af-comment-body', { hasText: 'Reply drafted by the probe.' }).count(),
    ).resolves.toBe(1);

    const log = await page.evaluate(() => window.__agentFrame!.log());
    const keys = log.map((e) => (e.message as { key?: string }).key);
    expect(log.filter((e) => (e.message as { needsReply?: boolean }).needsReply === true)).toHaveLength(2);
    expect(
      log.find(
        (e) =>
          (e.message as { key?: string; error?: unknown }).key === 'iframe.reply:ticket.save' &&
          (e.message as { error?: unknown }).error !== undefined,
      ),
    ).toBeDefined();
    expect(keys).toContain('zaf.ticket.submit.fail');
    expect(keys).toContain('zaf.ticket.submit.done');
    const events = (
      await app.evaluate(() => (window as unknown as { probeEvents: { event: string }[] }).probeEvents)
    ).map((e) => e.event);
    expect(events).toContain('ticket.submit.done');
    expect(events).toContain('ticket.comments.changed');
  });
});
