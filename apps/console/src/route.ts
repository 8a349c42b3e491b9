/** The console's sections; each is a sub-path of the app's nav_bar URL (/agent/apps/<app>/<section>). */
export const SECTIONS = ['overview', 'explore', 'signals', 'callbacks', 'experiment', 'policy'] as const;
export type Section = (typeof SECTIONS)[number];

/** `appRoute` of `app.route.changed` (e.g. `callbacks`, `/signals/`, `explore/region`) → a section. */
export function routeOf(appRoute: string): Section {
  const first = appRoute.replace(/^\/+/, '').split('/')[0] ?? '';
  return (SECTIONS as readonly string[]).includes(first) ? (first as Section) : 'overview';
}

export interface RouteStore {
  current(): Section;
  subscribe(listener: (section: Section) => void): () => void;
  /** Shows a section and puts it in the agent's address bar (ZAF `routeTo('nav_bar', app, section)`). */
  go(section: Section): void;
}

interface RouteClient {
  on(event: 'app.route.changed', handler: (data: unknown) => void): () => void;
  invoke(call: { name: 'routeTo'; args: ['nav_bar', string, string] }): Promise<void>;
}

export function createRouteStore(client: RouteClient, appName = 'boucle'): RouteStore {
  let section: Section = 'overview';
  const listeners = new Set<(section: Section) => void>();
  const set = (next: Section): void => {
    if (next === section) return;
    section = next;
    for (const listener of listeners) listener(next);
  };
  client.on('app.route.changed', (data) => {
    const appRoute =
      typeof data === 'object' && data !== null && 'appRoute' in data && typeof data.appRoute === 'string'
        ? data.appRoute
        : '';
    set(routeOf(appRoute));
  });
  return {
    current: () => section,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    go: (next) => {
      set(next);
      void client.invoke({ name: 'routeTo', args: ['nav_bar', appName, next] }).catch(() => undefined);
    },
  };
}
