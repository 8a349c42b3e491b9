import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { GardenTheme } from '../../../common/src/ui/garden-theme.tsx';
import { I18nProvider } from '../ui/i18n-context.tsx';
import type { TicketRead } from '../zaf/read-ticket-facts.ts';
import type { ZafClient } from '../../../common/src/zaf/zaf-client.ts';
import { createZendeskApi, type ZendeskApi } from '../zaf/zendesk-api.ts';
import { bootSidebar, type BootInfo } from './boot.ts';
import type { FirstView } from './first-view.ts';
import type { EarlyStart } from './start.ts';
import { createSidebarDecider } from './decide.ts';
import { TicketSidebar } from './ticket-sidebar.tsx';
import { createSidebarCache, type RequesterCache } from './use-sidebar.ts';

export interface AppProps {
  readonly client: ZafClient;
  readonly now?: () => Date;
  readonly api?: ZendeskApi;
  /** Started by `main.tsx` before this module loaded: its boot, API and warmed cache are used as they are. */
  readonly early?: EarlyStart;
  /** The first view, when `ui-entry.tsx` had it ready before rendering: the first render is the final one. */
  readonly firstView?: FirstView | undefined;
}

const systemNow = () => new Date();

/** Location table: the sidebar is the only location Boucle declares. */
const LOCATIONS: Record<string, true> = { ticket_sidebar: true };

export function App({ client, now = systemNow, api, early, firstView }: AppProps) {
  const [boot, setBoot] = useState<BootInfo | { error: string } | null>(firstView?.boot ?? null);
  const zendeskApi = useMemo(() => early?.api ?? api ?? createZendeskApi(client), [early, api, client]);
  const cache = useMemo(() => early?.cache ?? createSidebarCache(zendeskApi), [early, zendeskApi]);
  useEffect(() => {
    if (firstView) return;
    const booting =
      early?.boot ?? bootSidebar(client, (requesterId) => void cache.get(requesterId).catch(() => undefined));
    booting.then(setBoot, (error: unknown) =>
      setBoot({ error: error instanceof Error ? error.message : String(error) }),
    );
  }, [early, client, cache, firstView]);

  if (boot === null) return null; // nothing until the host registered the app
  if ('error' in boot) return <Shell client={client}>{boot.error}</Shell>;
  if (!LOCATIONS[boot.context.location]) return null;
  return (
    <Shell client={client}>
      <I18nProvider locale={boot.locale}>
        <Sidebar
          client={client}
          api={zendeskApi}
          cache={cache}
          boot={boot}
          now={now}
          firstRead={early?.ticket}
          firstView={firstView?.boot === boot ? firstView : undefined}
        />
      </I18nProvider>
    </Shell>
  );
}

function Sidebar({
  client,
  api,
  cache,
  boot,
  now,
  firstRead,
  firstView,
}: {
  client: ZafClient;
  api: ZendeskApi;
  cache: RequesterCache;
  boot: BootInfo;
  now: () => Date;
  firstRead: Promise<TicketRead> | undefined;
  firstView: FirstView | undefined;
}) {
  const decider = useMemo(
    () => firstView?.decider ?? createSidebarDecider(boot.settings, boot.locale),
    [boot, firstView],
  );
  return (
    <TicketSidebar
      client={client}
      api={api}
      cache={cache}
      locale={boot.locale}
      decide={decider.decide}
      settingsProblems={decider.problems}
      settingsFieldIds={decider.fieldIds}
      fieldIds={decider.fieldIds}
      now={now}
      firstRead={firstView ? undefined : firstRead}
      initialState={firstView?.state}
    />
  );
}

/** Theme, and the iframe height following the content (ZAF `resize`). */
function Shell({ client, children }: { client: ZafClient; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    let last = 0;
    const observer = new ResizeObserver(() => {
      const height = Math.ceil(element.getBoundingClientRect().height) + 8;
      if (height !== last) {
        last = height;
        void client.invoke({ name: 'resize', args: [{ width: '100%', height: `${height}px` }] });
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [client]);
  return (
    <GardenTheme>
      <div ref={ref} style={{ padding: '4px 2px' }}>
        {children}
      </div>
    </GardenTheme>
  );
}
