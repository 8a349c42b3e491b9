import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import type { FirstView } from './app/first-view.ts';
import type { EarlyStart } from './app/start.ts';
import type { ZafClient } from '../../common/src/zaf/zaf-client.ts';

/** The UI half of the page: renders once, with the first view when it was ready (else React shows the loading). */
export function renderSidebar(
  container: HTMLElement,
  client: ZafClient,
  early: EarlyStart,
  firstView: FirstView | undefined,
): void {
  createRoot(container).render(<App client={client} early={early} firstView={firstView} />);
}
