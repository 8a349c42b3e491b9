import { startSidebar } from './app/start.ts';
import { initZafClient } from './zaf/zaf-client.ts';
import { renderSidebar } from './render.tsx';

// The only module with global side effects: initialise the SDK once, start the handshake, the settings and the
// ticket's reads before React renders anything, then render.
const container = document.getElementById('root');
const showError = (error: unknown) => {
  if (container) container.textContent = error instanceof Error ? error.message : String(error);
};
if (container) {
  try {
    const client = initZafClient();
    const early = startSidebar(client);
    renderSidebar(container, client, early);
  } catch (error) {
    showError(error);
  }
}
