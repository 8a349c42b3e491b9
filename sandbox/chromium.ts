/** How Boucle's browser tests, screenshots and benchmarks launch the machine's Chromium (playwright-core). */
import { chromium, type Browser } from 'playwright-core';

/**
 * Chromium features switched off. Chromium reads one `--disable-features` switch, and a second one replaces the
 * list Playwright passes, so this list carries Playwright's own entries (no requests to search or sign-in
 * services at start-up; no paint holding, storage partitioning or HTTPS upgrades changing what a test sees) as
 * well as ours:
 *   - the omnibox popup's WebUI renderers. In headless Chromium each browser window starts them and they keep
 *     reloading their modules: measured at about one core busy during a page load on a 2-core machine, which
 *     slowed every browser test and inflated `npm run bench:app` (`WebUIOmniboxPopup`, `WebUIOmniboxFullPopup`,
 *     `WebUIOmniboxAimPopup`, `PreloadTopChromeWebUI`).
 */
const DISABLED_FEATURES = [
  // As Playwright passes them.
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  // The browser's own UI, which a headless test never shows.
  'WebUIOmniboxPopup',
  'WebUIOmniboxFullPopup',
  'WebUIOmniboxAimPopup',
  'PreloadTopChromeWebUI',
];

const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

/** The Debian package's binary unless `BOUCLE_CHROMIUM` names another (`npm test` checks for it first, in scripts/ensure-chromium.mjs). */
const CHROMIUM_PATH = process.env['BOUCLE_CHROMIUM'] ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
