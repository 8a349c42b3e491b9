/**
 * `npm run bench:app`: the sidebar's start-up budget, measured on the built app in the agent frame (real SDK,
 * Zendesk emulator) in Chromium.
 *   - gzipped size of the JS the iframe loads at start (the app's own scripts, and the SDK);
 *   - time from the iframe's navigation to the recommendation being in the page (median of N cold loads:
 *     each load in a new tab of one browser window, with the browser's cache cleared and a new renderer
 *     process for the app's origin, so nothing is cached);
 *   - HTTP requests the app sends per ticket opened (client.request calls seen by the host).
 * Targets: ≤ 150 KB gzip, ≤ 500 ms, ≤ 3 requests.
 */
import { availableParallelism, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { buildApp } from '../tools/build-app.ts';
import { launchChromium, startSidebarHarness } from '../e2e/harness.ts';

const LOADS = Number(process.env.BENCH_LOADS ?? 12);
const STAMP_PREFIX = 'boucle-bench:';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const { packageDir } = await buildApp({ quiet: true });
const harness = await startSidebarHarness({ appDir: packageDir });
const frame = await harness.openFrame();
const browser = await launchChromium();

// Stamps the moments the recommendation, then the whole sidebar, enter the iframe's DOM, relative to the
// iframe's navigation start, and reports them on the console. The bench waits for those messages instead of
// polling the frame with Playwright locators: a locator injects Playwright's own script into the frame, which
// would run on the app's main thread during the very start-up being measured.
const STAMP = `(() => {
  if (!location.pathname.includes('/assets/')) return;
  let recommendationAt;
  const observer = new MutationObserver(() => {
    if (recommendationAt === undefined && document.querySelector('[data-testid="recommendation"]')) {
      recommendationAt = performance.now();
    }
    if (recommendationAt !== undefined && document.querySelector('[data-testid="feedback-list"], [data-testid="feedback-empty"]')) {
      observer.disconnect();
      console.debug('${STAMP_PREFIX}' + JSON.stringify({ recommendationAt, completeAt: performance.now() }));
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
})();`;

interface Stamps {
  readonly recommendationAt: number;
  readonly completeAt: number;
}

// One window for all loads, as an agent's browser has. A new window costs the browser several hundred
// milliseconds of its own start-up work (its UI renderers) on the machine's few cores; creating one per load
// measured that, not the sidebar. The warm-up loads below let that work finish before the timed loads.
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.addInitScript(STAMP);

/**
 * Opens the seeded ticket in a new tab, with the browser's HTTP cache cleared (the app's origin also answers
 * `no-store`), and waits for the frame's stamps. The tab is closed afterwards, and with it the app origin's
 * renderer process: the next load starts without compiled code or memory caches.
 */
async function coldLoad(onPage?: (page: Page) => void): Promise<{ stamps: Stamps; requests: number }> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    onPage?.(page);
    const stamped = new Promise<Stamps>((resolve) => {
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith(STAMP_PREFIX)) resolve(JSON.parse(text.slice(STAMP_PREFIX.length)) as Stamps);
      });
    });
    await page.goto(frame.ticketUrl(harness.tickets.withSurvey));
    const stamps = await Promise.race([
      stamped,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error('the sidebar did not show its recommendation within 30 s')),
          30_000,
        ),
      ),
    ]);
    type LogEntry = { message: { key?: string } };
    const log = await page.evaluate<LogEntry[]>('window.__agentFrame.log()');
    return { stamps, requests: log.filter((e) => /^request:\d+$/.test(e.message.key ?? '')).length };
  } finally {
    await page.close();
  }
}

const times: number[] = [];
const completeTimes: number[] = [];
const requestCounts: number[] = [];
const appJs = new Map<string, number>();
const sdkJs = new Map<string, number>();
try {
  // Two warm-up loads, not timed: the first reads the scripts' bodies for their sizes.
  const scripts = new Map<string, Promise<Buffer>>();
  await coldLoad((page) =>
    page.on('response', (response) => {
      const url = response.url();
      if (url.startsWith(frame.appUrl) && url.endsWith('.js')) scripts.set(url, response.body());
    }),
  );
  for (const [url, body] of scripts) {
    const gz = gzipSync(await body, { level: 9 }).length;
    (url.includes('zendesk_app_framework_sdk') ? sdkJs : appJs).set(url.replace(frame.appUrl, ''), gz);
  }
  await coldLoad();
  for (let load = 0; load < LOADS; load += 1) {
    const { stamps, requests } = await coldLoad();
    times.push(stamps.recommendationAt);
    completeTimes.push(stamps.completeAt);
    requestCounts.push(requests);
  }
} finally {
  await browser.close();
  await harness.close();
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
console.log('Boucle sidebar — start-up budget (Chromium, agent frame, Zendesk emulator)');
console.log(
  `  machine: ${availableParallelism()} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (timings scale with contention)`,
);
for (const [path, size] of appJs) console.log(`  app JS    ${path}: ${kb(size)} gzip`);
for (const [path, size] of sdkJs) console.log(`  ZAF SDK   ${path}: ${kb(size)} gzip (CDN in production)`);
console.log(
  `JS at start, gzip: app ${kb(sum(appJs))} + SDK ${kb(sum(sdkJs))} = ${kb(sum(appJs) + sum(sdkJs))}  (target ≤ 150 KB)`,
);
console.log(
  `iframe navigation → recommendation visible: median ${median(times).toFixed(0)} ms over ${times.length} cold loads (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})  (target ≤ 500 ms)`,
);
console.log(
  `iframe navigation → whole sidebar (customer and history too): median ${median(completeTimes).toFixed(0)} ms (min ${Math.min(...completeTimes).toFixed(0)}, max ${Math.max(...completeTimes).toFixed(0)})`,
);
console.log(
  `requests per ticket opened: median ${median(requestCounts)}, max ${Math.max(...requestCounts)}  (target ≤ 3)`,
);
