/**
 * `npm run bench:app`: the sidebar's start-up budget, measured on the built app in the agent frame (real SDK,
 * Zendesk emulator) in Chromium.
 *   - gzipped size of the JS the iframe loads at start (the app's own scripts, and the SDK);
 *   - time from the iframe's navigation to the recommendation being in the page (median of N cold loads:
 *     a fresh browser context each time, so nothing is cached);
 *   - HTTP requests the app sends per ticket opened (client.request calls seen by the host).
 * Targets: ≤ 150 KB gzip, ≤ 500 ms, ≤ 3 requests.
 */
import { availableParallelism, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildApp } from '../tools/build-app.ts';
import { CHROMIUM_ARGS, startSidebarHarness } from '../e2e/harness.ts';

const LOADS = Number(process.env.BENCH_LOADS ?? 12);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const { packageDir } = await buildApp({ quiet: true });
const harness = await startSidebarHarness({ appDir: packageDir });
const frame = await harness.openFrame();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

// Stamps the moment the recommendation enters the iframe's DOM, relative to the iframe's navigation start.
const STAMP = `(() => {
  if (!location.pathname.includes('/assets/')) return;
  const seen = () => document.querySelector('[data-testid="recommendation"]');
  const observer = new MutationObserver(() => {
    if (!window.__firstRenderAt && document.getElementById('root')?.firstChild) window.__firstRenderAt = performance.now();
    if (document.querySelector('[data-testid="loading"]') && !window.__skeletonAt) window.__skeletonAt = performance.now();
    if (seen() && !window.__recommendationAt) window.__recommendationAt = performance.now();
    if (document.querySelector('[data-testid="feedback-list"], [data-testid="feedback-empty"]')) { window.__completeAt = performance.now(); observer.disconnect(); }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
})();`;

const times: number[] = [];
const completeTimes: number[] = [];
const requestCounts: number[] = [];
let appJs = new Map<string, number>();
let sdkJs = new Map<string, number>();
try {
  for (let load = 0; load < LOADS; load += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(STAMP);
    const page = await context.newPage();
    const scripts = new Map<string, Promise<Buffer>>();
    page.on('response', (response) => {
      const url = response.url();
      if (url.startsWith(frame.appUrl) && url.endsWith('.js')) scripts.set(url, response.body());
    });
    await page.goto(frame.ticketUrl(harness.tickets.withSurvey));
    const app =
      page.frames().find((f) => f.url().includes('/assets/')) ?? (await page.waitForEvent('frameattached'));
    await page.frameLocator('iframe').getByTestId('recommendation').waitFor({ timeout: 30_000 });
    const appFrame = page.frames().find((f) => f.url().includes('/assets/')) ?? app;
    await appFrame.waitForFunction('window.__recommendationAt !== undefined');
    times.push(await appFrame.evaluate<number>('window.__recommendationAt'));
    await appFrame.waitForFunction('window.__completeAt !== undefined');
    completeTimes.push(await appFrame.evaluate<number>('window.__completeAt'));
    if (process.env.BENCH_DEBUG) {
      console.log(
        await appFrame.evaluate<string>(
          `JSON.stringify({dcl: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd, first: window.__firstRenderAt, skeleton: window.__skeletonAt, reco: window.__recommendationAt, res: performance.getEntriesByType('resource').map(r => [r.name.slice(-40), Math.round(r.startTime), Math.round(r.responseEnd)])})`,
        ),
      );
    }
    type LogEntry = { message: { key?: string } };
    const log = await page.evaluate<LogEntry[]>('window.__agentFrame.log()');
    requestCounts.push(log.filter((e) => /^request:\d+$/.test(e.message.key ?? '')).length);
    if (load === 0) {
      appJs = new Map();
      sdkJs = new Map();
      for (const [url, body] of scripts) {
        const gz = gzipSync(await body, { level: 9 }).length;
        (url.includes('zendesk_app_framework_sdk') ? sdkJs : appJs).set(url.replace(frame.appUrl, ''), gz);
      }
    }
    await context.close();
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
