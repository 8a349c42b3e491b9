/** Helpers for Chromium tests that host an app in the agent frame (playwright-core). */
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { ZAF_SDK_CDN_URL } from './index.ts';
import type { RunningAgentFrame } from './index.ts';

/** Serves the ZAF SDK CDN URL from the frame's bundle, for apps that load it by a URL built at run time. */
export async function routeZafSdk(context: BrowserContext, frame: RunningAgentFrame): Promise<void> {
  const body = await (await fetch(frame.sdkUrl)).text();
  await context.route(ZAF_SDK_CDN_URL, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body }),
  );
}

/** Opens a ticket in the frame, waits until the app is registered, and returns the app's iframe. */
export async function openTicket(page: Page, frame: RunningAgentFrame, ticketId: number): Promise<Frame> {
  await page.goto(frame.ticketUrl(ticketId));
  await page.waitForFunction(() => window.__agentFrame?.state()['registered'] === true);
  const handle = await page.waitForSelector('iframe.af-app-frame');
  const app = await handle.contentFrame();
  if (app === null) throw new Error('The app iframe has no content frame.');
  return app;
}
