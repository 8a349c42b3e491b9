import { startSidebar } from './app/start.ts';
import { initZafClient } from '../../common/src/zaf/zaf-client.ts';

// The page's entry, kept small: initialise the SDK once and start the handshake, the settings and the ticket's
// reads; then load the UI code (React, Garden, the decision core: preloaded by the page) while the reads are in
// flight. The page's static skeleton shows until the first render.
const container = document.getElementById('root');
const showError = (error: unknown) => {
  if (container) container.textContent = error instanceof Error ? error.message : String(error);
};
if (container) {
  try {
    const early = startSidebar(initZafClient());
    void early.requested
      .then(() => import('./ui-entry.tsx'))
      .then(({ showSidebar }) => showSidebar(container, early))
      .catch(showError);
  } catch (error) {
    showError(error);
  }
}
