/**
 * The Policy screen's screenshots for docs/admin.md (docs/console-policy-*.png), taken by `npm run
 * screenshots:console` against the policy harness (npm start's sandbox, the ledger seeded by the real loop): what
 * an admin does, in order — import v1, change a callback window, add a rule, an invalid value, the preview, save
 * with a reason, the history and its diff — then the same screen in French and as an agent reads it.
 */
import { join } from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { openConsole } from '../e2e/harness.ts';
import type { PolicyHarness } from '../e2e/policy-harness.ts';

const WIDTH = 1366;
const HEIGHT = 1000;

export async function shootPolicy(browser: Browser, harness: PolicyHarness, docs: string): Promise<string[]> {
  const written: string[] = [];
  const open = async (query = ''): Promise<{ page: Page; app: Frame }> => {
    const opened = await openConsole(browser, `${harness.running.consoleUrl!}/policy${query}`, {
      width: WIDTH,
      height: HEIGHT,
    });
    await opened.app.getByTestId('policy').waitFor({ timeout: 30_000 });
    return opened;
  };
  const settle = (page: Page) => page.waitForTimeout(300);
  /** The viewport, with `top` scrolled to the top of the app's page, just under the sticky Save bar. */
  const viewport = async (page: Page, file: string, top?: Locator) => {
    if (top !== undefined)
      await top.evaluate((el) => {
        el.scrollIntoView({ block: 'start', behavior: 'instant' });
        window.scrollBy({ top: -72, behavior: 'instant' });
      });
    await settle(page);
    await page.screenshot({ path: join(docs, file) });
    written.push(file);
  };
  /** One part of the screen, alone. */
  const part = async (page: Page, file: string, locator: Locator) => {
    await locator.scrollIntoViewIfNeeded();
    await settle(page);
    await locator.screenshot({ path: join(docs, file) });
    written.push(file);
  };
  const field = (app: Frame, key: string) => app.locator(`[data-field="${key}"]`);

  // First open: nothing saved yet, the import offered.
  {
    const { page, app } = await open();
    await viewport(page, 'console-policy-first-en.png');
    await app.getByTestId('policy-import').getByRole('button').click();
    await app.getByTestId('policy-notice-success').waitFor();
    await page.close();
  }

  // The admin's edit of v1: a callback window, a rule, an invalid value on the way, the preview, the save.
  {
    const { page, app } = await open();
    await field(app, 'callbackWindowHours.silver').locator('input').fill('6');
    await app
      .getByTestId('policy-changes')
      .getByText(/changed/)
      .waitFor();
    await viewport(page, 'console-policy-en.png', app.locator('[data-group="callbacks"]'));

    await field(app, 'capacity.agentMinutesPerDay').locator('input').fill('-5');
    await field(app, 'capacity.agentMinutesPerDay').getByTestId('field-problem').waitFor();
    await viewport(page, 'console-policy-invalid-en.png', app.getByTestId('policy-problems'));
    await field(app, 'capacity.agentMinutesPerDay').locator('input').fill('480');
    await app.getByTestId('policy-problem').first().waitFor({ state: 'detached' });

    await app.getByTestId('add-rule').click();
    const rule = app.getByTestId('rule').last();
    await rule.getByLabel('Name').fill('Silver customers get a callback');
    const condition = rule.getByTestId('condition').first();
    await condition.getByLabel('Fact').selectOption('customer.tier');
    await condition.getByLabel('Operator').selectOption({ label: 'is' });
    await condition.getByLabel('Value').selectOption('silver');
    await rule.getByLabel('Force the intervention').selectOption({ label: 'Callback' });
    await part(page, 'console-policy-rule-en.png', app.locator('[data-group="rules"]'));

    await app.getByTestId('policy-preview-run').click();
    await app.getByTestId('policy-preview-summary').waitFor();
    await part(page, 'console-policy-preview-en.png', app.getByTestId('policy-preview'));

    await app.getByTestId('policy-save').click();
    await app.getByTestId('policy-reason').getByRole('textbox').fill('Silver: callbacks within 6 h');
    await viewport(page, 'console-policy-save-en.png', app.getByTestId('policy-reason'));
    await app.getByTestId('policy-save-confirm').click();
    await app
      .getByTestId('policy-notice-success')
      .getByText(/version 2/)
      .waitFor();

    await app.getByRole('tab', { name: 'History' }).click();
    await app.getByTestId('policy-diff-entry').first().waitFor();
    await part(page, 'console-policy-history-en.png', app.getByTestId('policy-history'));
    await page.close();
  }

  // The same screen in French, and an agent's read-only view.
  {
    const { page, app } = await open('?locale=fr');
    await viewport(page, 'console-policy-fr.png', app.locator('[data-group="callbacks"]'));
    await part(page, 'console-policy-rule-fr.png', app.locator('[data-group="rules"]'));
    await app.getByRole('tab', { name: 'Historique' }).click();
    await app.getByTestId('policy-diff-entry').first().waitFor();
    await part(page, 'console-policy-history-fr.png', app.getByTestId('policy-history'));
    await page.close();
  }
  {
    const { page } = await open('?role=agent');
    await viewport(page, 'console-policy-agent-en.png');
    await page.close();
  }
  return written;
}
