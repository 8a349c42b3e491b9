import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import type { EarlyStart } from './app/start.ts';
import type { ZafClient } from './zaf/zaf-client.ts';

/** The UI half of the page, loaded while the early start (handshake, reads) is under way. */
export function renderSidebar(container: HTMLElement, client: ZafClient, early: EarlyStart): void {
  createRoot(container).render(<App client={client} early={early} />);
}
