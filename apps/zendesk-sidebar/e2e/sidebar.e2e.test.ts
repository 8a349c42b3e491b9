import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningAgentFrame } from '../../../sandbox/agent-frame/index.ts';
import {
  DEFAULT_SETTINGS,
  parsePolicy,
  policyFromSettings,
  serializePolicy,
} from '../../../shared/src/index.ts';
import {
  launchChromium,
  startSidebarHarness,
  VALID_SETTINGS,
  zendeskFetch,
  type SidebarHarness,
  openTicketPage,
} from './harness.ts';

let harness: SidebarHarness;
let browser: Browser;
let english: RunningAgentFrame;

beforeAll(async () => {
  harness = await startSidebarHarness();
  english = await harness.openFrame();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const openTicket = (frame: RunningAgentFrame, ticketId: number): Promise<Page> =>
  openTicketPage(browser, frame, ticketId);

const app = (page: Page) => page.frameLocator('iframe');

describe('Boucle sidebar in the agent frame (real ZAF SDK, cross-origin)', () => {
  it('renders the recommendation for a seeded customer, with three requests', async () => {
    harness.zendesk.clearRequests();
    const page = await openTicket(english, harness.tickets.withSurvey);
    const sidebar = app(page);
    await sidebar.getByTestId('recommendation').waitFor();
    expect(await sidebar.getByTestId('recommendation-action').innerText()).toMatch(
      /Compensate|Call back|Apologise/,
    );
    expect(await sidebar.getByTestId('customer-name').innerText()).toBe('Camille Martin');
    expect(await sidebar.getByTestId('customer-org').innerText()).toBe('Maison Martin SARL');
    expect(await sidebar.getByTestId('effort-source').innerText()).toBe('Measured');
    expect(await sidebar.getByTestId('effort-class').innerText()).toBe('Customer worked harder');
    await sidebar.getByRole('button', { name: 'Details' }).click();
    expect(await sidebar.getByTestId('recommendation-details').innerText()).toMatch(/expected value/i);
    // Every client.request the app sent, from the host's message log.
    type LogEntry = { message: { key?: string; message?: { url?: string } } };
    const log = await page.evaluate<LogEntry[]>('window.__agentFrame.log()');
    const appRequests = log
      .filter((entry) => /^request:\d+$/.test(entry.message.key ?? ''))
      .map((entry) => entry.message.message?.url ?? '');
    expect(appRequests.map((url) => url.split('?')[0]).sort()).toEqual([
      '/api/v2/custom_objects/boucle_feedback/records/search',
      '/api/v2/custom_objects/boucle_intervention/records/search',
      `/api/v2/users/${harness.tickets.customerId}.json`,
    ]);
    const served = harness.zendesk.requests().map((r) => `${r.method} ${r.path}`);
    expect(served).toContain('POST /api/v2/custom_objects/boucle_intervention/records/search');
    // The iframe resized to its content.
    const state = await page.evaluate<{
      lastResize: { height: string } | null;
    }>('window.__agentFrame.state()');
    expect(Number.parseInt(state.lastResize?.height ?? '0', 10)).toBeGreaterThan(300);
    await page.close();
  });

  it('Apply sets tags and priority in the host, drafts the reply and writes the ledger record', async () => {
    const page = await openTicket(english, harness.tickets.withSurvey);
    const sidebar = app(page);
    await sidebar.getByTestId('apply').click();
    await sidebar.getByTestId('apply-done').waitFor();
    type FormState = { form: { tags: string[]; priority: string; commentText: string } };
    const state = await page.evaluate<FormState>('window.__agentFrame.state()');
    const priority = (await sidebar.getByTestId('recommendation-priority').innerText()).toLowerCase();
    expect(state.form.priority).toBe(priority);
    expect(state.form.tags.some((t) => /^boucle_(apology|callback|compensation)$/.test(t))).toBe(true);
    expect(state.form.tags).toContain('delivery');
    expect(state.form.commentText).toMatch(/^Bonjour Camille/);
    const api = zendeskFetch(harness.zendesk.url);
    const found = await api<{ custom_object_records: { custom_object_fields: Record<string, unknown> }[] }>(
      'POST',
      '/api/v2/custom_objects/boucle_intervention/records/search',
      { filter: { 'custom_object_fields.ticket_id': { $eq: String(harness.tickets.withSurvey) } } },
    );
    expect(found.custom_object_records).toHaveLength(1);
    expect(found.custom_object_records[0]?.custom_object_fields).toMatchObject({
      status: 'applied',
      user: String(harness.tickets.customerId),
      priority,
    });
    await sidebar.getByTestId('loop-due').waitFor();
    await page.close();
  });

  it('shows a comment containing HTML and script as inert text', async () => {
    const page = await openTicket(english, harness.tickets.withSurvey);
    const comment = app(page).getByTestId('feedback-comment');
    expect(await comment.innerText()).toContain('<script>window.__pwned=2</script>');
    expect(await comment.locator('img, script').count()).toBe(0);
    const appFrame = page.frames().find((f) => f.url().includes('/assets/'));
    expect(await appFrame?.evaluate('window.__pwned')).toBeUndefined();
    await page.close();
  });

  it('shows empty states for a new customer without surveys, with an estimated effort', async () => {
    const page = await openTicket(english, harness.tickets.withoutSurvey);
    const sidebar = app(page);
    await sidebar.getByTestId('customer-empty').waitFor();
    expect(await sidebar.getByTestId('feedback-empty').isVisible()).toBe(true);
    expect(await sidebar.getByTestId('effort-source').innerText()).toBe('Estimated');
    await page.close();
  });

  it('lists each invalid setting and still shows the customer', async () => {
    // Only install-time fields remain on the settings page (the policy is edited in the console).
    const frame = await harness.openFrame({
      settings: {
        ...VALID_SETTINGS,
        locale: 'de',
        zendesk_fields_intervention_field_id: 'abc',
        zendesk_fields_callback_due_field_id: 'custom_field_1',
      },
    });
    const page = await openTicket(frame, harness.tickets.withSurvey);
    const sidebar = app(page);
    await sidebar.getByTestId('settings-error').waitFor();
    const problems = await sidebar.getByTestId('settings-problem').allInnerTexts();
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(problems.join('\n')).toContain('zendesk_fields_intervention_field_id');
    expect(problems.join('\n')).toContain('locale');
    await sidebar.getByTestId('customer-name').waitFor();
    expect(await sidebar.getByTestId('recommendation').count()).toBe(0);
    await page.close();
  });

  it('decides with the saved policy (hidden parameter) over the flat settings', async () => {
    const policy = policyFromSettings(DEFAULT_SETTINGS, {
      version: 4,
      savedAt: '2026-12-02T18:00:00Z',
      savedBy: { id: 1, name: 'Ada Admin' },
      reason: 'Apologise to everyone this week',
    }).data!;
    const rule = {
      name: 'apologise to all',
      conditions: {
        all: [{ fact: 'customer.tier', operator: 'in', value: ['platinum', 'gold', 'silver', 'bronze'] }],
      },
      event: { params: { force: 'apology' as const } },
    };
    const frame = await harness.openFrame({
      settings: {
        ...VALID_SETTINGS,
        policy: serializePolicy(parsePolicy({ ...policy, rules: [rule] }).data!),
      },
    });
    const page = await openTicket(frame, harness.tickets.withSurvey);
    const sidebar = app(page);
    await sidebar.getByTestId('recommendation').waitFor();
    expect(await sidebar.getByTestId('settings-error').count()).toBe(0);
    expect(await sidebar.getByTestId('recommendation-action').innerText()).toMatch(/Apologise/);
    await page.close();
  });

  it('renders French for a French-speaking agent', async () => {
    const frame = await harness.openFrame({ locale: 'fr' });
    const page = await openTicket(frame, harness.tickets.withSurvey);
    const sidebar = app(page);
    await sidebar.getByTestId('recommendation').waitFor();
    expect(await sidebar.getByText('Intervention recommandée').count()).toBe(1);
    // The Apply test above recorded an intervention on this ticket without submitting it: the button fills it again.
    expect(await sidebar.getByTestId(/^(apply|reapply)$/).innerText()).toMatch(
      /^(Appliquer|Remplir à nouveau le ticket)$/,
    );
    expect(await sidebar.getByTestId('recommendation-headline').innerText()).toMatch(
      /^Client à forte valeur/,
    );
    await page.close();
  });

  it('never lets the secure connector token reach the iframe', async () => {
    const page = await openTicket(english, harness.tickets.withSurvey);
    await app(page).getByTestId('recommendation').waitFor();
    const log = JSON.stringify(await page.evaluate('window.__agentFrame.log()'));
    expect(log).not.toContain(VALID_SETTINGS.connector_token);
    await page.close();
  });
});
