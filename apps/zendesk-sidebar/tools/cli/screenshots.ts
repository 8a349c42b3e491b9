import { join } from 'node:path';
import { launchChromium, startSidebarHarness } from '../../e2e/harness.ts';
import { buildApp, REPO_ROOT } from '../build-app.ts';

// `npm run screenshots:app`: the sidebar in the agent frame, English and French, with and without survey data.
const { packageDir } = await buildApp({ quiet: true });
const harness = await startSidebarHarness({ appDir: packageDir });
const browser = await launchChromium();
try {
  for (const locale of ['en', 'fr'] as const) {
    const frame = await harness.openFrame({ locale: locale === 'en' ? 'en-US' : 'fr' });
    for (const [name, ticketId] of [
      ['survey', harness.tickets.withSurvey],
      ['no-survey', harness.tickets.withoutSurvey],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1600 }, deviceScaleFactor: 1 });
      await page.goto(frame.ticketUrl(ticketId));
      const app = page.frameLocator('iframe');
      await app.getByTestId('recommendation').waitFor();
      await app.getByRole('button', { name: locale === 'en' ? 'Details' : 'Détails' }).click();
      await page.waitForTimeout(300);
      const path = join(REPO_ROOT, 'docs', `sidebar-${locale}-${name}.png`);
      await page.locator('iframe').screenshot({ path });
      console.log(`wrote ${path}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await harness.close();
}
