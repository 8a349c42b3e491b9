import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { styled } from 'styled-components';
import type { ConnectorClient } from '../../common/src/connector/connector-client.ts';
import type { AppLocale } from '../../common/src/i18n/locale.ts';
import { GardenTheme } from '../../common/src/ui/garden-theme.tsx';
import type { ZafClient } from '../../common/src/zaf/zaf-client.ts';
import { consoleI18n, I18nProvider, type MessageKey } from './i18n/i18n.tsx';
import { SECTIONS, type RouteStore, type Section } from './route.ts';
import { CallbacksScreen } from './screens/callbacks.tsx';
import { ExperimentScreen } from './screens/experiment.tsx';
import { ExploreScreen } from './screens/explore.tsx';
import { OverviewScreen } from './screens/overview.tsx';
import { PolicyScreen } from './screens/policy.tsx';
import { SignalsScreen } from './screens/signals.tsx';

export interface ConsoleContext {
  readonly client: ZafClient;
  readonly connector: ConnectorClient;
  readonly connectorUrl: string;
  readonly agentName: string | null;
  /** Opens a ticket in the agent workspace. */
  readonly openTicket: (id: number | string) => void;
  readonly go: (section: Section) => void;
}

const Page = styled.div`
  min-height: 100vh;
  background: #f8f9f9;
`;
const Header = styled.header`
  display: flex;
  align-items: baseline;
  gap: 16px;
  padding: 16px 32px 0;
  h1 {
    margin: 0;
    font-size: 20px;
    font-weight: 600;
  }
`;
const Tabs = styled.div`
  display: flex;
  gap: 4px;
  padding: 12px 32px 0;
  border-bottom: 1px solid #d8dcde;
`;
const Tab = styled.button<{ $active: boolean }>`
  border: none;
  background: none;
  font: inherit;
  font-size: 14px;
  padding: 8px 12px 10px;
  cursor: pointer;
  color: ${(p) => (p.$active ? '#1f73b7' : '#49545c')};
  font-weight: ${(p) => (p.$active ? 600 : 400)};
  border-bottom: 3px solid ${(p) => (p.$active ? '#1f73b7' : 'transparent')};
  &:focus-visible {
    outline: 2px solid #1f73b7;
    outline-offset: -2px;
  }
`;
const Main = styled.main`
  padding: 20px 32px 40px;
  max-width: 1280px;
`;

const TAB_LABEL: Record<Section, MessageKey> = {
  overview: 'nav.overview',
  explore: 'nav.explore',
  signals: 'nav.signals',
  callbacks: 'nav.callbacks',
  experiment: 'nav.experiment',
  policy: 'nav.policy',
};

export function ConsoleApp(props: {
  client: ZafClient;
  connector: ConnectorClient;
  connectorUrl: string;
  locale: AppLocale;
  agentName: string | null;
  appName: string;
  routes: RouteStore;
  location: string;
}) {
  const i18n = useMemo(() => consoleI18n(props.locale), [props.locale]);
  const { t } = i18n;
  const [section, setSection] = useState<Section>(props.routes.current());
  useEffect(() => props.routes.subscribe(setSection), [props.routes]);
  useEffect(() => {
    document.documentElement.lang = props.locale;
    document.title = t('app.title');
  }, [props.locale, t]);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const { client, routes } = props;
  const ctx: ConsoleContext = useMemo(
    () => ({
      client,
      connector: props.connector,
      connectorUrl: props.connectorUrl,
      agentName: props.agentName,
      openTicket: (id) =>
        void client.invoke({ name: 'routeTo', args: ['ticket', Number(id)] }).catch(() => undefined),
      go: (next) => routes.go(next),
    }),
    [client, routes, props.connector, props.connectorUrl, props.agentName],
  );
  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation); Home/End to the ends.
  const onKey = useCallback(
    (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
      const last = SECTIONS.length - 1;
      const next =
        event.key === 'ArrowRight'
          ? index === last
            ? 0
            : index + 1
          : event.key === 'ArrowLeft'
            ? index === 0
              ? last
              : index - 1
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? last
                : null;
      if (next === null) return;
      event.preventDefault();
      tabs.current[next]?.focus();
      routes.go(SECTIONS[next]!);
    },
    [routes],
  );
  return (
    <GardenTheme>
      <I18nProvider value={i18n}>
        <Page>
          <Header>
            <h1>{t('app.title')}</h1>
          </Header>
          <Tabs role="tablist" aria-label={t('nav.label')}>
            {SECTIONS.map((s, index) => (
              <Tab
                key={s}
                ref={(el) => {
                  tabs.current[index] = el;
                }}
                role="tab"
                id={`tab-${s}`}
                aria-selected={s === section}
                aria-controls={`panel-${s}`}
                tabIndex={s === section ? 0 : -1}
                $active={s === section}
                onClick={() => routes.go(s)}
                onKeyDown={(e) => onKey(e, index)}
              >
                {t(TAB_LABEL[s])}
              </Tab>
            ))}
          </Tabs>
          <Main
            role="tabpanel"
            id={`panel-${section}`}
            aria-labelledby={`tab-${section}`}
            data-section={section}
          >
            {section === 'overview' && <OverviewScreen ctx={ctx} />}
            {section === 'explore' && <ExploreScreen ctx={ctx} />}
            {section === 'signals' && <SignalsScreen ctx={ctx} />}
            {section === 'callbacks' && <CallbacksScreen ctx={ctx} />}
            {section === 'experiment' && <ExperimentScreen ctx={ctx} />}
            {section === 'policy' && <PolicyScreen ctx={ctx} />}
          </Main>
        </Page>
      </I18nProvider>
    </GardenTheme>
  );
}
