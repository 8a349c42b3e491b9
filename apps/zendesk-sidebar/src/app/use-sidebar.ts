import { useCallback, useEffect, useRef, useState } from 'react';
import type { SidebarLocale } from '../i18n/i18n.ts';
import { createRequesterCache, loadRequesterData } from '../requester/load-requester-data.ts';
import type { InterventionRecord, RequesterData } from '../requester/zendesk-records.ts';
import { readTicketFacts, type TicketRead } from '../zaf/read-ticket-facts.ts';
import type { ZafClient, ZafEvent } from '../zaf/zaf-client.ts';
import type { ZendeskApi } from '../zaf/zendesk-api.ts';
import type { RecommendationView, SettingsProblem, TicketFacts } from './sidebar-model.ts';

export type DecisionOutcome =
  | { readonly ok: true; readonly recommendation: RecommendationView }
  | { readonly ok: false; readonly reason: string };

/** Wraps `shared/`'s decision for the sidebar: facts in, a view of the decision out. */
export type SidebarDecider = (input: {
  readonly ticket: TicketFacts;
  readonly data: RequesterData;
  readonly now: Date;
  readonly locale: SidebarLocale;
}) => DecisionOutcome;

export type SidebarState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'no-requester' }
  | { readonly kind: 'error'; readonly detail: string }
  | {
      readonly kind: 'ready';
      readonly ticket: TicketFacts;
      readonly data: RequesterData;
      readonly decision: DecisionOutcome | null;
    };

export type RequesterCache = ReturnType<typeof createRequesterCache>;

/** One cache per app instance; `bootSidebar` warms it while the app starts. */
export function createSidebarCache(api: ZendeskApi): RequesterCache {
  return createRequesterCache((id) => loadRequesterData(api, id));
}

export interface SidebarDeps {
  readonly client: ZafClient;
  readonly cache: RequesterCache;
  readonly api: ZendeskApi;
  readonly locale: SidebarLocale;
  /** Null when the settings are invalid: then no decision is made, the rest is shown. */
  readonly decide: SidebarDecider | null;
  readonly settingsProblems: readonly SettingsProblem[];
  readonly now: () => Date;
  /** The ticket's facts, read early (while the UI code loaded): used by the first refresh instead of a new read. */
  readonly firstRead?: Promise<TicketRead> | undefined;
  /** The first state, prepared before React rendered (first-view.ts): shown at once, no first refresh. */
  readonly initialState?: SidebarState | undefined;
}

/** Reads the ticket (or uses a read already under way), the requester's data (cached), and decides. */
export async function readSidebarState(
  deps: Pick<SidebarDeps, 'client' | 'cache' | 'decide' | 'locale' | 'now'>,
  read: Promise<TicketRead> | undefined,
  reload = false,
  current: () => boolean = () => true,
): Promise<SidebarState | undefined> {
  const { ticket } = await (read ?? readTicketFacts(deps.client));
  const requesterId = ticket.requester?.id;
  if (!requesterId) return { kind: 'no-requester' };
  if (reload) deps.cache.invalidate(requesterId);
  const loaded = await deps.cache.get(requesterId);
  const data =
    loaded.organization === null && ticket.organization !== null
      ? { ...loaded, organization: ticket.organization }
      : loaded;
  if (!current()) return undefined;
  const decision = deps.decide ? deps.decide({ ticket, data, now: deps.now(), locale: deps.locale }) : null;
  return { kind: 'ready', ticket, data, decision };
}

const REFRESH_EVENTS: readonly ZafEvent[] = [
  'ticket.requester.id.changed',
  'ticket.tags.changed',
  'ticket.priority.changed',
  'ticket.submit.done',
];

export function useSidebar(deps: SidebarDeps) {
  const { client, cache, decide, locale, now } = deps;
  const [state, setState] = useState<SidebarState>(deps.initialState ?? { kind: 'loading' });
  const generation = useRef(0);
  const pendingRead = useRef(deps.firstRead);
  const prepared = useRef(deps.initialState !== undefined);

  const refresh = useCallback(
    async (options: { reload?: boolean } = {}) => {
      const run = ++generation.current;
      try {
        const early = options.reload ? undefined : pendingRead.current;
        pendingRead.current = undefined;
        const next = await readSidebarState(
          { client, cache, decide, locale, now },
          early,
          options.reload === true,
          () => run === generation.current,
        );
        if (next !== undefined && run === generation.current) setState(next);
      } catch (error) {
        if (run === generation.current) {
          setState({ kind: 'error', detail: error instanceof Error ? error.message : String(error) });
        }
      }
    },
    [client, cache, decide, now, locale],
  );

  useEffect(() => {
    if (prepared.current) prepared.current = false;
    else void refresh();
    const offs = REFRESH_EVENTS.map((event) =>
      client.on(event, () => void refresh({ reload: event === 'ticket.submit.done' })),
    );
    return () => offs.forEach((off) => off());
  }, [client, refresh]);

  /** After Apply: the new ledger record joins the cached data, without a request. */
  const recordIntervention = useCallback(
    (requesterId: number, record: InterventionRecord) => {
      cache.update(requesterId, (data) => ({ ...data, interventions: [record, ...data.interventions] }));
      setState((s) =>
        s.kind === 'ready'
          ? { ...s, data: { ...s.data, interventions: [record, ...s.data.interventions] } }
          : s,
      );
    },
    [cache],
  );

  return { state, refresh, recordIntervention };
}
