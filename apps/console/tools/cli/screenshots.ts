/**
 * `npm run screenshots:console`: each screen of the console in Chromium, in the agent frame, against `npm start`'s
 * sandbox (the planted warning signs, a day's seeded callbacks): docs/console-*.png; then the Policy screen's
 * (docs/console-policy-*.png) against a second sandbox whose ledger the loop seeded. `-- --policy` takes only those.
 */
import { join, resolve } from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import { launchChromium, openConsole, startConsoleHarness } from '../../e2e/harness.ts';
import { startPolicyHarness } from '../../e2e/policy-harness.ts';
import { shootPolicy } from '../policy-screenshots.ts';

const DOCS = resolve(import.meta.dirname, '../../../../docs');
const browser = await launchChromium();
try {
  if (!process.argv.includes('--policy')) await shootScreens(browser);
  const policy = await startPolicyHarness();
  try {
    for (const file of await shootPolicy(browser, policy, DOCS)) console.log(`docs/${file}`);
  } finally {
    await policy.close();
  }
} finally {
  await browser.close();
}

async function shootScreens(browser: Browser): Promise<void> {
  const harness = await startConsoleHarness();
  try {
    const shots: [string, string, (app: Frame) => Promise<void>][] = [
      ['console-overview-en.png', '', (app) => app.getByTestId('funnel').locator('svg').waitFor()],
      [
        'console-explore-en.png',
        'explore',
        async (app) => {
          await app.locator('[data-bar="Belgium"]').click();
          await app.getByTestId('drill').locator('[data-ticket]').first().waitFor();
          await app.locator('svg[aria-label^="CSAT by month"]').waitFor();
        },
      ],
      ['console-signals-en.png', 'signals', (app) => app.getByTestId('sign').first().waitFor()],
      ['console-callbacks-en.png', 'callbacks', (app) => app.getByTestId('outside-capacity').waitFor()],
      [
        'console-experiment-en.png',
        'experiment',
        (app) => app.locator('[data-testid="experiment-outcome"]').first().waitFor(),
      ],
      [
        'console-experiment-fr.png',
        'experiment?locale=fr',
        (app) => app.locator('[data-testid="experiment-outcome"]').first().waitFor(),
      ],
      ['console-overview-fr.png', '?locale=fr', (app) => app.getByTestId('funnel').locator('svg').waitFor()],
      [
        'console-callbacks-fr.png',
        'callbacks?locale=fr',
        (app) => app.getByTestId('outside-capacity').waitFor(),
      ],
    ];
    for (const [file, sub, ready] of shots) {
      const url = sub.startsWith('?')
        ? `${harness.running.consoleUrl!}${sub}`
        : `${harness.running.consoleUrl!}/${sub}`;
      const { page, app } = await openConsole(browser, url.replace(/\/$/, ''), { width: 1366, height: 1000 });
      await ready(app);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(DOCS, file), fullPage: false });
      console.log(`docs/${file}`);
      await page.close();
    }
  } finally {
    await harness.close();
  }
}
