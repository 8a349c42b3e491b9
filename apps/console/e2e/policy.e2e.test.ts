/**
 * Issue #15 end to end: the console's Policy screen in Chromium (the built app's nav_bar page in the agent frame,
 * the real ZAF SDK), against `npm start`'s sandbox. An admin changes a callback window and adds a rule from the
 * menus, previews it over the connector's ledger (seeded by the real loop: comments → Zendesk trigger → webhook →
 * connector), saves it with a reason; the sidebar's next ticket and the connector's next decision use it, and the
 * ledger row names the version; a roll back restores the previous one. An agent reads the screen and cannot
 * save; an invalid value is shown at its field and cannot be saved.
 */
import type { Browser, Frame, FrameLocator, Page } from 'playwright-core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZAF_SDK_CDN_URL } from '../../../sandbox/agent-frame/index.ts';
import { ZENDESK_SANDBOX_AGENT } from '../../../sandbox/zendesk/index.ts';
import type { RawZafClient } from '../../common/src/zaf/zaf-client.ts';
import {
  createDecider,
  DEFAULT_SETTINGS,
  parsePolicy,
  settingsFromPolicy,
  type Policy,
} from '../../../shared/src/index.ts';
import { launchChromium, openConsole } from './harness.ts';
import { startPolicyHarness, type LedgerRow, type PolicyHarness } from './policy-harness.ts';

let harness: PolicyHarness;
let browser: Browser;
/** A silver customer's live ticket on which the loop recorded a compensation (the default policy's choice). */
let target: LedgerRow;
/** The sidebar's recommendation on that ticket before any policy is saved. */
let actionBefore: string;

const HOUR = 3_600_000;
const RULE = 'Silver customers get a callback';

beforeAll(async () => {
  [harness, browser] = await Promise.all([startPolicyHarness(), launchChromium()]);
  const silver = harness.ledger().filter((r) => r.tier === 'silver' && r.action === 'compensation');
  expect(silver.length).toBeGreaterThan(0);
  target = silver[0]!;
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const policyUrl = (query = '') => `${harness.running.consoleUrl!}/policy${query}`;

async function openPolicy(query = ''): Promise<{ page: Page; app: Frame }> {
  const opened = await openConsole(browser, policyUrl(query));
  await opened.app.getByTestId('policy').waitFor({ timeout: 30_000 });
  return opened;
}

/** The ticket view with the sidebar, as the agent frame serves it; returns the sidebar's frame. */
async function openTicket(ticketId: number): Promise<{ page: Page; sidebar: FrameLocator }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, timezoneId: 'UTC' });
  const origin = new URL(harness.running.agentUrl!).origin;
  const config = (await (await fetch(`${origin}/agent/frame.json`)).json()) as { appOrigin: string };
  const sdk = await (await fetch(`${config.appOrigin}/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js`)).text();
  await page.route(ZAF_SDK_CDN_URL, (route) => route.fulfill({ body: sdk, contentType: 'text/javascript' }));
  await page.goto(`${origin}/agent/tickets/${ticketId}`);
  const sidebar = page.frameLocator('iframe');
  try {
    await sidebar.getByTestId('recommendation').waitFor({ timeout: 30_000 });
  } catch (error) {
    const shot = join(tmpdir(), `boucle-policy-e2e-ticket-${ticketId}.png`);
    await page.screenshot({ path: shot });
    const shown = await sidebar
      .locator('body')
      .innerText({ timeout: 1_000 })
      .catch(() => '(no sidebar)');
    throw new Error(
      `No recommendation on ticket ${ticketId}; the sidebar shows: ${shown} (screenshot: ${shot})`,
      { cause: error },
    );
  }
  return { page, sidebar };
}

/** The decision `policy` makes on the facts a ledger row was decided on, at its time (the decider of shared/). */
function decideWith(policy: Policy, row: LedgerRow) {
  return createDecider(settingsFromPolicy(policy, DEFAULT_SETTINGS)).decide(row.input!, row.decidedAt);
}
let v1: Policy;
let v2: Policy;

/** The policy stored on the installation (what the sidebar and the connector read). */
async function storedPolicy(): Promise<Policy> {
  const parsed = parsePolicy((await harness.installationSettings())['policy']);
  if (!parsed.success) throw new Error(`stored policy: ${JSON.stringify(parsed.issues)}`);
  return parsed.data;
}

const field = (app: Frame, key: string) => app.locator(`[data-field="${key}"]`);

describe('the Policy screen end to end (issue #15)', () => {
  it('the loop seeded the ledger: each seeded ticket decided with the flat settings (no policy version)', async () => {
    const rows = harness.ledger();
    expect(new Set(rows.map((r) => r.ticketId)).size).toBe(harness.seededTickets.length);
    expect(rows.every((r) => r.policyVersion === null)).toBe(true);
    // The default silver callback window is 48 h: the seeded compensation's follow-up is due then.
    expect(target.dueAt! - target.decidedAt).toBe(48 * HOUR);
    const { page, sidebar } = await openTicket(target.ticketId);
    actionBefore = await sidebar.getByTestId('recommendation-action').innerText();
    expect(actionBefore).toMatch(/^Compensate/);
    await page.close();
  });

  it('an admin imports the settings (v1), changes a window, adds a rule from the menus, previews and saves (v2)', async () => {
    const { page, app } = await openPolicy();
    expect(await app.getByTestId('policy').getAttribute('data-can-edit')).toBe('true');
    expect(await app.getByTestId('policy-current').innerText()).toMatch(/No policy saved yet/);
    // What applies (the flat settings) is a valid draft: no problem listed, Save offered.
    expect(await app.getByTestId('policy-problems').innerText()).toBe('No problem: the draft can be saved.');
    expect(await app.getByTestId('policy-save').isDisabled()).toBe(false);
    await app.getByTestId('policy-import').getByRole('button').click();
    await app.getByTestId('policy-notice-success').waitFor();
    expect(await app.getByTestId('policy-notice-success').innerText()).toMatch(
      /Saved version 1\.[\s\S]*The connector recorded it/,
    );
    v1 = await storedPolicy();
    expect(v1.version).toBe(1);

    // The callback-windows group: silver from 48 h to 6 h.
    const silver = field(app, 'callbackWindowHours.silver').locator('input');
    expect(await silver.inputValue()).toBe('48');
    await silver.fill('6');
    await expect
      .poll(() => app.getByTestId('policy-changes').innerText())
      .toMatch(/^1 value changed since version 1\./);

    // The window alone changes no intervention, but every silver follow-up the loop recorded (due in 48 h) would be
    // due in 6 h: the preview counts them.
    const silverDue = harness.ledger().filter((r) => r.tier === 'silver' && r.dueAt !== null);
    expect(silverDue.length).toBeGreaterThan(0);
    await app.getByTestId('policy-preview-run').click();
    await app.getByTestId('policy-preview-summary').waitFor();
    expect(await app.getByTestId('policy-preview-summary').innerText()).toMatch(
      /^No intervention would change over the last 30 days \(\d+ incidents\)\.$/,
    );
    expect(await app.getByTestId('policy-preview-due').innerText()).toBe(
      `The due time would change for ${silverDue.length} follow-up${silverDue.length === 1 ? '' : 's'} (same intervention, another window): silver 48 h → 6 h (${silverDue.length}).`,
    );

    // A rule from the menus: a fact of the catalogue, its operator, a value from the tiers, an action.
    await app.getByTestId('add-rule').click();
    const rule = app.getByTestId('rule').last();
    await rule.getByLabel('Name').fill(RULE);
    const condition = rule.getByTestId('condition').first();
    await condition.getByLabel('Fact').selectOption('customer.tier');
    await condition.getByLabel('Operator').selectOption({ label: 'is' });
    await condition.getByLabel('Value').selectOption('silver');
    await rule.getByLabel('Force the intervention').selectOption({ label: 'Callback' });
    expect(await app.getByTestId('policy-problem').count()).toBe(0);

    // The preview over the ledger: every silver compensation the loop recorded would become a callback.
    const expected = harness.ledger().filter((r) => r.tier === 'silver' && r.action !== 'callback');
    await app.getByTestId('policy-preview-run').click();
    const summary = app.getByTestId('policy-preview-summary');
    await summary.waitFor();
    const match = /^(\d+) decisions? would change, out of (\d+) incidents in the last 30 days\.$/.exec(
      await summary.innerText(),
    );
    expect(match).not.toBeNull();
    const changed = Number(match![1]);
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBe(expected.length);
    expect(Number(match![2])).toBeGreaterThanOrEqual(harness.seededTickets.length);
    const lines = await app.getByTestId('policy-preview-change').allInnerTexts();
    expect(lines).toHaveLength(Math.min(20, changed));
    for (const line of lines) expect(line.replace(/\s+/g, ' ')).toMatch(/Compensation \(\w+\) → Callback$/);
    // The silver callbacks stay callbacks, due in 6 h instead of 48 h.
    const stayCallbacks = harness.ledger().filter((r) => r.tier === 'silver' && r.action === 'callback');
    await expect
      .poll(() => app.getByTestId('policy-preview-due').count())
      .toBe(stayCallbacks.length > 0 ? 1 : 0);
    const listed = lines.map((l) => Number(/Ticket #(\d+)/.exec(l)?.[1]));
    expect(listed.every((id) => expected.some((r) => r.ticketId === id))).toBe(true);

    // Save asks for a reason; without one the button stays disabled.
    await app.getByTestId('policy-save').click();
    const confirm = app.getByTestId('policy-save-confirm');
    expect(await confirm.innerText()).toBe('Save as version 2');
    expect(await confirm.isDisabled()).toBe(true);
    await app.getByTestId('policy-reason').getByRole('textbox').fill('Silver: callbacks within 6 h');
    await confirm.click();
    await expect
      .poll(() => app.getByTestId('policy-notice-success').innerText())
      .toMatch(/Saved version 2\.[\s\S]*The connector recorded it/);
    expect(await app.getByTestId('policy-current').innerText()).toMatch(
      /^Version 2, saved .* by .*: “Silver: callbacks within 6 h”$/,
    );
    const stored = await storedPolicy();
    v2 = stored;
    expect(stored.version).toBe(2);
    expect(stored.reason).toBe('Silver: callbacks within 6 h');
    expect(stored.callbackWindowHours.silver).toBe(6);
    expect(stored.callbackWindowHours.gold).toBe(24);
    expect(stored.rules.map((r) => r.name)).toEqual([RULE]);
    await page.close();
  });

  it("the sidebar's next ticket uses the new policy: the rule's callback, explained by the rule", async () => {
    const { page, sidebar } = await openTicket(target.ticketId);
    expect(await sidebar.getByTestId('recommendation-action').innerText()).toBe('Call back');
    expect(actionBefore).not.toBe('Call back');
    expect(await sidebar.getByTestId('recommendation-headline').innerText()).toMatch(
      new RegExp(`^Required by rule "${RULE}"`),
    );
    await page.close();
  });

  it("the connector's next decision (a webhook through the Zendesk emulator) uses it and records v2", async () => {
    const row = await harness.nextDecision(target.ticketId);
    expect(row.action).toBe('callback');
    expect(row.summary).toMatch(new RegExp(`^A callback, \\w+ priority — Required by rule "${RULE}"`));
    expect(row.policyVersion).toBe(2);
    expect(row.dueAt! - row.decidedAt).toBe(6 * HOUR);
    // The same facts decided by v1 would not have been this callback: the row is v2's decision.
    const byV2 = decideWith(v2, row);
    const byV1 = decideWith(v1, row);
    expect([byV2.action, byV2.followUp?.windowHours]).toEqual(['callback', 6]);
    expect(byV1.followUp?.windowHours).toBe(48);
    expect([byV2.decidedBy, byV1.decidedBy]).toEqual(['rule', 'model']);
  });

  it('history: the versions, the diff of v1 → v2, and one click rolls back to v1 (saved as v3)', async () => {
    const { page, app } = await openPolicy();
    await app.getByRole('tab', { name: 'History' }).click();
    const versions = app.getByTestId('policy-version');
    await expect.poll(() => versions.count()).toBe(2);
    expect((await versions.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^v2 \(current\) .*Silver: callbacks within 6 h$/),
      expect.stringMatching(/^v1 .*Imported from the app settings Roll back to v1$/),
    ]);
    const diff = app.getByTestId('policy-diff');
    await diff.getByTestId('policy-diff-entry').first().waitFor();
    const entries = await diff
      .getByTestId('policy-diff-entry')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-path'), (r as HTMLElement).innerText.replace(/\s+/g, ' ')]),
      );
    expect(entries).toContainEqual(['callbackWindowHours.silver', expect.stringMatching(/48 → 6$/)]);
    expect(entries.some(([path]) => path!.startsWith('rules'))).toBe(true);
    expect(entries).toHaveLength(2);

    await app.locator('[data-version="1"]').getByTestId('policy-rollback').click();
    await expect
      .poll(() => app.getByTestId('policy-notice-success').innerText())
      .toMatch(/Saved version 3\./);
    await expect.poll(() => versions.count()).toBe(3);
    expect(await versions.first().innerText()).toMatch(/v3[\s\S]*Roll back to v1/);
    const stored = await storedPolicy();
    expect(stored.version).toBe(3);
    expect(stored.reason).toBe('Roll back to v1');
    expect(stored.callbackWindowHours.silver).toBe(48);
    expect(stored.rules).toEqual([]);
    await page.close();

    // The connector's next decision is the previous policy's again, under the new version number.
    // (The ticket has had more comments since, so the model may choose differently; the rule no longer applies and
    // the window is v1's again.)
    const row = await harness.nextDecision(target.ticketId);
    expect(row.policyVersion).toBe(3);
    expect(row.summary).not.toMatch(/rule/i);
    expect(row.dueAt! - row.decidedAt).toBe(48 * HOUR);
    // It is v1's decision on these facts, not v2's.
    expect(row.action).toBe(decideWith(v1, row).action);
    expect(decideWith(v2, row).followUp?.windowHours).toBe(6);
    const { page: ticket, sidebar } = await openTicket(target.ticketId);
    expect(await sidebar.getByTestId('recommendation-headline').innerText()).not.toMatch(/rule/i);
    await ticket.close();
  });

  it('an invalid value is shown at its field, listed, and cannot be saved or previewed', async () => {
    const { page, app } = await openPolicy();
    const capacity = field(app, 'capacity.agentMinutesPerDay');
    await capacity.locator('input').fill('-5');
    await capacity.getByTestId('field-problem').waitFor();
    expect(await capacity.getByTestId('field-problem').innerText()).toMatch(/>=\s*0|at least 0|≥ ?0/i);
    expect(await capacity.locator('input').getAttribute('aria-invalid')).toBe('true');
    expect(await app.getByTestId('policy-problem').count()).toBe(1);
    expect(await app.getByTestId('policy-problem').getAttribute('data-path')).toBe(
      'capacity.agentMinutesPerDay',
    );
    expect(await app.getByTestId('policy-save').isDisabled()).toBe(true);
    expect(await app.getByTestId('save-disabled').innerText()).toBe('Fix 1 problem to save.');
    expect(await app.getByTestId('policy-preview-run').isDisabled()).toBe(true);
    // The problem's link takes the admin to the field.
    await app.getByTestId('policy-problem').getByRole('button').click();
    await expect
      .poll(() => capacity.locator('input').evaluate((el) => el === document.activeElement))
      .toBe(true);
    // Fixed, it can be saved again; nothing invalid reached the installation.
    await capacity.locator('input').fill('420');
    await expect.poll(() => app.getByTestId('policy-problem').count()).toBe(0);
    expect(await app.getByTestId('policy-save').isDisabled()).toBe(false);
    expect((await storedPolicy()).version).toBe(3);
    await page.close();
  });

  it('an agent (?role=agent) reads the same screen, read-only, with no Save and no roll back', async () => {
    const { page, app } = await openPolicy('?role=agent');
    // The page is signed in as the sandbox's non-admin agent: Zendesk's users/me says so, not a query flag.
    const me = await app.evaluate(async () => {
      const client = window.ZAFClient!.init() as RawZafClient;
      return (await client.get(['currentUser'])) as { currentUser: { email: string; role: string } };
    });
    expect(me.currentUser).toMatchObject({ email: ZENDESK_SANDBOX_AGENT.email, role: 'agent' });
    expect(await app.getByTestId('policy').getAttribute('data-can-edit')).toBe('false');
    expect(await app.getByTestId('policy-role').innerText()).toMatch(
      /^Only Zendesk admins can change the policy\. You are signed in as agent/,
    );
    expect(await app.getByTestId('policy-current').innerText()).toMatch(/^Version 3, /);
    const silver = field(app, 'callbackWindowHours.silver').locator('input');
    expect(await silver.inputValue()).toBe('48');
    expect(await silver.getAttribute('readonly')).not.toBeNull();
    await silver.press('Backspace');
    expect(await silver.inputValue()).toBe('48');
    expect(await app.getByTestId('policy-save').count()).toBe(0);
    expect(await app.getByTestId('policy-problems').count()).toBe(0);
    expect(await app.getByTestId('add-rule').count()).toBe(0);
    expect(await app.getByTestId('policy-import').count()).toBe(0);
    await app.getByRole('tab', { name: 'History' }).click();
    await expect.poll(() => app.getByTestId('policy-version').count()).toBe(3);
    expect(await app.getByTestId('policy-rollback').count()).toBe(0);
    expect((await storedPolicy()).version).toBe(3);

    // A save attempted anyway, through the app's ZAF client as the agent: a valid v4 (silver 6 h), PUT to the
    // installation. Zendesk refuses it (403) and the stored policy stays v3.
    const v3 = await storedPolicy();
    const draft = JSON.stringify({
      ...v3,
      version: 4,
      reason: 'An agent tries to save',
      callbackWindowHours: { ...v3.callbackWindowHours, silver: 6 },
    });
    expect(parsePolicy(JSON.parse(draft)).success).toBe(true);
    const attempt = await app.evaluate(async (policy) => {
      const client = window.ZAFClient!.init() as RawZafClient;
      const { installationId } = (await client.metadata()) as { installationId: number };
      try {
        await client.request({
          url: `/api/v2/apps/installations/${installationId}.json`,
          type: 'PUT',
          contentType: 'application/json',
          data: JSON.stringify({ settings: { policy } }),
        });
        return { status: 200, text: '' };
      } catch (error) {
        const failed = error as { status: number; responseText: string };
        return { status: failed.status, text: failed.responseText };
      }
    }, draft);
    expect(attempt.status).toBe(403);
    expect(attempt.text).toContain('Forbidden');
    const after = await storedPolicy();
    expect(after.version).toBe(3);
    expect(after.callbackWindowHours.silver).toBe(48);
    // The connector's sync after it (from the agent's app, through the frame's proxy) keeps version 3.
    const synced = await app.evaluate(async (connectorUrl) => {
      const client = window.ZAFClient!.init() as RawZafClient;
      return (await client.request({
        url: `${connectorUrl}/api/v1/policy/sync`,
        type: 'POST',
        secure: true,
        headers: { Authorization: 'Bearer {{setting.connector_token}}' },
        contentType: 'application/json',
        data: '{}',
      })) as { current: { version: number } | null; recorded: string };
    }, harness.running.serviceUrl);
    expect(synced.current?.version).toBe(3);
    expect(synced.recorded).toBe('known');
    await page.close();
  });
});
