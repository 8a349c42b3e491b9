/**
 * The console's entry (the nav_bar location): initialises the ZAF SDK, reads the agent's locale and name and the
 * app's settings, and renders. The charts are a lazy chunk (charts/), so the start-up bundle stays small.
 */
import { createRoot } from 'react-dom/client';
import { toAppLocale } from '../../common/src/i18n/locale.ts';
import { createConnectorClient } from '../../common/src/connector/connector-client.ts';
import { initZafClient } from '../../common/src/zaf/zaf-client.ts';
import { ConsoleApp } from './console-app.tsx';
import { createRouteStore } from './route.ts';

async function boot(): Promise<void> {
  const root = document.getElementById('root');
  if (root === null) throw new Error('console.html has no #root');
  try {
    const client = initZafClient();
    // Listen at once: the host sends app.route.changed (the sub-path of the app's URL) right after registering.
    const routes = createRouteStore(client);
    // Gate on context()/metadata(): they resolve from the SDK's cache even when the host answered first.
    const [context, metadata, user] = await Promise.all([
      client.context(),
      client.metadata(),
      client.get(['currentUser.locale', 'currentUser.name']),
    ]);
    const settings = metadata.settings;
    const connectorUrl =
      typeof settings['connector_url'] === 'string' ? settings['connector_url'] : undefined;
    createRoot(root).render(
      <ConsoleApp
        client={client}
        connector={createConnectorClient(client, connectorUrl)}
        connectorUrl={connectorUrl ?? ''}
        locale={toAppLocale(user.values['currentUser.locale'])}
        agentName={user.values['currentUser.name'] ?? null}
        appName={metadata.name}
        routes={routes}
        location={context.location}
      />,
    );
  } catch (error) {
    root.textContent = error instanceof Error ? error.message : String(error);
  }
}

void boot();
