import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { initZafClient } from './zaf/zaf-client.ts';

// The only module with global side effects: initialise the SDK once and render.
const container = document.getElementById('root');
if (container) {
  try {
    createRoot(container).render(<App client={initZafClient()} />);
  } catch (error) {
    container.textContent = error instanceof Error ? error.message : String(error);
  }
}
