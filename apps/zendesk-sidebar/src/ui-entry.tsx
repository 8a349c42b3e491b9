import './zod-jitless.ts';
import { firstViewWithin, prepareFirstView } from './app/first-view.ts';
import type { EarlyStart } from './app/start.ts';
import { renderSidebar } from './render.tsx';

/** How long the page's static skeleton may stand in before React renders its own loading state. */
const FIRST_VIEW_WAIT_MS = 1500;

/**
 * The UI half of the page (React, Garden, the decision core), evaluated once the early start's reads are on
 * their way: builds the first view (decision included) and renders once, with it when it came in time.
 */
export async function showSidebar(container: HTMLElement, early: EarlyStart): Promise<void> {
  const view = await firstViewWithin(prepareFirstView(early), FIRST_VIEW_WAIT_MS);
  renderSidebar(container, early.client, early, view);
}
