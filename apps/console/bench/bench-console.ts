/**
 * `npm run bench:app` (second part): the console's start-up budget, on the built app's nav_bar page in the agent
 * frame (real SDK) against `npm start`'s sandbox (1,000 accounts, planted signs) and its connector.
 *   - gzipped size of the JS the console loads before its first meaningful view (its entry; the charts chunk,
 *     loaded lazily after, is listed apart);
 *   - time from the iframe's navigation to the first meaningful view (the overview: KPIs against the previous
 *     period, open warning signs, money; its charts may still be loading), median of N cold loads (new tab,
 *     browser cache cleared, new renderer for the app's origin).
 *   - the Policy screen (its own lazy chunk): the JS it loads beyond the console's start, gzipped, and the time
 *     from navigation to its form, median of a few cold loads of /policy.
 * Targets: ≤ 200 KB gzip at start, ≤ 1 s median.
 */
import { availableParallelism, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { ZAF_SDK_CDN_URL } from '../../../sandbox/agent-frame/index.ts';
import { launchChromium, startConsoleHarness } from '../e2e/harness.ts';

const LOADS = Number(process.env.BENCH_LOADS ?? 12);
const POLICY_LOADS = Math.max(1, Math.round(LOADS / 2));
const STAMP_PREFIX = 'boucle-console-bench:';
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const harness = await startConsoleHarness();
const browser = await launchChromium();
const url = harness.running.consoleUrl!;
const config = (await (await fetch(`${new URL(url).origin}/agent/frame.json`)).json()) as {
  appOrigin: string;
};
const sdk = await (await fetch(`${config.appOrigin}/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js`)).text();

// Stamps the overview's (or the Policy screen's) arrival in the iframe's DOM (relative to its navigation) without
// Playwright locators, which would inject a script into the frame during the start-up being measured.
const STAMP = `(() => {
  if (!location.pathname.endsWith('/assets/console.html')) return;
  const observer = new MutationObserver(() => {
    if (document.querySelector('[data-testid="overview"], [data-testid="policy"]')) {
      observer.disconnect();
      console.debug('${STAMP_PREFIX}' + performance.now());
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
})();`;
const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
await context.addInitScript(STAMP);
await context.route(ZAF_SDK_CDN_URL, (route) => route.fulfill({ body: sdk, contentType: 'text/javascript' }));

async function coldLoad(onPage?: (page: Page) => void, at = url): Promise<number> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    onPage?.(page);
    const stamped = new Promise<number>((resolve) => {
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith(STAMP_PREFIX)) resolve(Number(text.slice(STAMP_PREFIX.length)));
      });
    });
    await page.goto(at);
    return await Promise.race([
      stamped,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`the console did not show ${at} within 30 s`)), 30_000),
      ),
    ]);
  } finally {
    await page.close();
  }
}

const times: number[] = [];
const policyTimes: number[] = [];
const atStart = new Map<string, number>();
const lazy = new Map<string, number>();
/** The scripts the Policy screen loads that the console's start did not. */
const policyLazy = new Map<string, number>();
try {
  const scripts = new Map<string, { body: Promise<Buffer>; beforeView: boolean }>();
  let viewShown = false;
  await coldLoad((page) => {
    page.on('console', (m) => {
      if (m.text().startsWith(STAMP_PREFIX)) viewShown = true;
    });
    page.on('response', (response) => {
      const u = response.url();
      if (u.startsWith(config.appOrigin) && u.endsWith('.js') && !u.includes('zendesk_app_framework_sdk'))
        scripts.set(u, { body: response.body(), beforeView: !viewShown });
    });
  });
  // Let the lazy chunks the overview asks for after its first view arrive too.
  for (const [u, { body, beforeView }] of scripts)
    (beforeView && !u.includes('console-charts') ? atStart : lazy).set(
      u.replace(config.appOrigin, ''),
      gzipSync(await body, { level: 9 }).length,
    );
  // The Policy screen, opened directly (/policy): what it loads beyond the start, then its own timings.
  const policyScripts = new Map<string, Promise<Buffer>>();
  await coldLoad((page) => {
    page.on('response', (response) => {
      const u = response.url();
      if (u.startsWith(config.appOrigin) && u.endsWith('.js') && !u.includes('zendesk_app_framework_sdk'))
        policyScripts.set(u, response.body());
    });
  }, `${url}/policy`);
  for (const [u, body] of policyScripts) {
    const path = u.replace(config.appOrigin, '');
    if (!atStart.has(path)) policyLazy.set(path, gzipSync(await body, { level: 9 }).length);
  }
  await coldLoad();
  for (let load = 0; load < LOADS; load += 1) times.push(await coldLoad());
  for (let load = 0; load < POLICY_LOADS; load += 1)
    policyTimes.push(await coldLoad(undefined, `${url}/policy`));
} finally {
  await browser.close();
  await harness.close();
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const sdkGz = gzipSync(sdk, { level: 9 }).length;
console.log('Boucle console — start-up budget (Chromium, agent frame nav_bar, npm start sandbox)');
console.log(
  `  machine: ${availableParallelism()} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (timings scale with contention)`,
);
for (const [path, size] of atStart) console.log(`  app JS at start  ${path}: ${kb(size)} gzip`);
for (const [path, size] of lazy) console.log(`  app JS, lazy     ${path}: ${kb(size)} gzip`);
console.log(
  `JS at start, gzip: app ${kb(sum(atStart))} + SDK ${kb(sdkGz)} = ${kb(sum(atStart) + sdkGz)}  (target ≤ 200 KB)`,
);
for (const [path, size] of policyLazy) console.log(`  Policy screen    ${path}: ${kb(size)} gzip`);
console.log(
  `Policy screen, lazy (not in the start), gzip: ${kb(sum(policyLazy))}; the start does not load it: ${[...atStart.keys(), ...lazy.keys()].some((p) => /policy/i.test(p)) ? 'NO' : 'yes'}`,
);
console.log(
  `iframe navigation → Policy form (/policy): median ${median(policyTimes).toFixed(0)} ms over ${policyTimes.length} cold loads (min ${Math.min(...policyTimes).toFixed(0)}, max ${Math.max(...policyTimes).toFixed(0)})`,
);
console.log(
  `iframe navigation → first meaningful view (overview): median ${median(times).toFixed(0)} ms over ${times.length} cold loads (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})  (target ≤ 1000 ms)`,
);
