import { useCallback, useEffect, useRef, useState } from 'react';
import type { SidebarLocale } from '../i18n/i18n.ts';
import { createRequesterCache, loadRequesterData } from '../requester/load-requester-data.ts';
import type { InterventionRecord, RequesterData } from '../requester/zendesk-records.ts';
import { readTicketFacts, type TicketRead } from '../zaf/read-ticket-facts.ts';
import type { ZafClient, ZafEvent } from '../../../common/src/zaf/zaf-client.ts';
import type { ZendeskApi } from '../zaf/zendesk-api.ts';
import { readStoredTicket, resolveFieldIds, type PendingApply, type StoredTicket } from './apply-status.ts';
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
      /** The ticket as saved (Boucle's fields and tags), read when it opened and after each Submit. */
      readonly stored: StoredTicket;
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
  /** Boucle's ticket field ids from the settings (digits, or empty: found by title). */
  readonly fieldIds?: { readonly intervention: string; readonly callbackDueAt: string } | undefined;
}

/**
 * Reads the ticket (or uses a read already under way), the requester's data (cached), and decides. The saved
 * ticket's Boucle fields are read too (a `client.get`, no HTTP request), unless `stored` is given: between two
 * saves the form holds unsaved edits, so the ticket as saved is the one read last time.
 */
export async function readSidebarState(
  deps: Pick<SidebarDeps, 'client' | 'cache' | 'decide' | 'locale' | 'now' | 'fieldIds'>,
  read: Promise<TicketRead> | undefined,
  reload = false,
  current: () => boolean = () => true,
  stored?: StoredTicket | Promise<StoredTicket>,
): Promise<SidebarState | undefined> {
  const { ticket } = await (read ?? readTicketFacts(deps.client));
  const requesterId = ticket.requester?.id;
  if (!requesterId) return { kind: 'no-requester' };
  if (reload) deps.cache.invalidate(requesterId);
  const [loaded, saved] = await Promise.all([
    deps.cache.get(requesterId),
    stored ?? readStoredTicket(deps.client, ticket, resolveFieldIds(deps.fieldIds, ticket)),
  ]);
  const data =
    loaded.organization === null && ticket.organization !== null
      ? { ...loaded, organization: ticket.organization }
      : loaded;
  if (!current()) return undefined;
  const decision = deps.decide ? deps.decide({ ticket, data, now: deps.now(), locale: deps.locale }) : null;
  return { kind: 'ready', ticket, data, decision, stored: saved };
}

const REFRESH_EVENTS: readonly ZafEvent[] = [
  'ticket.requester.id.changed',
  'ticket.tags.changed',
  'ticket.priority.changed',
  'ticket.submit.done',
];

export function useSidebar(deps: SidebarDeps) {
  const { client, cache, decide, locale, now, fieldIds } = deps;
  const [state, setState] = useState<SidebarState>(deps.initialState ?? { kind: 'loading' });
  /** What Apply filled in the form during this visit; cleared when the ticket is submitted. */
  const [pending, setPending] = useState<PendingApply | null>(null);
  const generation = useRef(0);
  const pendingRead = useRef(deps.firstRead);
  const prepared = useRef(deps.initialState !== undefined);
  const stored = useRef<StoredTicket | undefined>(
    deps.initialState?.kind === 'ready' ? deps.initialState.stored : undefined,
  );
  /** Ledger records written during this visit, kept until a reload's search returns them. */
  const written = useRef<{ requesterId: number; record: InterventionRecord }[]>([]);

  const refresh = useCallback(
    async (options: { reload?: boolean; submitted?: boolean } = {}) => {
      const run = ++generation.current;
      try {
        const early = options.reload ? undefined : pendingRead.current;
        pendingRead.current = undefined;
        const next = await readSidebarState(
          { client, cache, decide, locale, now, fieldIds },
          early,
          options.reload === true,
          () => run === generation.current,
          // The form is the saved ticket only when it opened and right after a Submit (not after a Retry).
          options.submitted === true ? undefined : stored.current,
        );
        if (next === undefined || run !== generation.current) return;
        if (next.kind === 'ready') {
          stored.current = next.stored;
          const missing = written.current.filter(
            (w) =>
              w.requesterId === next.data.user.id &&
              !next.data.interventions.some((record) => record.id === w.record.id),
          );
          setState(
            missing.length === 0
              ? next
              : {
                  ...next,
                  data: {
                    ...next.data,
                    interventions: [...missing.map((w) => w.record), ...next.data.interventions],
                  },
                },
          );
        } else setState(next);
        // Submitted: what Apply filled in the form is saved now, or was dropped by the agent.
        if (options.submitted === true) setPending(null);
      } catch (error) {
        if (run === generation.current) {
          setState({ kind: 'error', detail: error instanceof Error ? error.message : String(error) });
        }
      }
    },
    [client, cache, decide, now, locale, fieldIds],
  );

  useEffect(() => {
    if (prepared.current) prepared.current = false;
    else void refresh();
    const offs = REFRESH_EVENTS.map((event) =>
      client.on(event, () => {
        const submitted = event === 'ticket.submit.done';
        void refresh({ reload: submitted, submitted });
      }),
    );
    return () => offs.forEach((off) => off());
  }, [client, refresh]);

  /** After Apply: the new ledger record joins the cached data, without a request. */
  const recordIntervention = useCallback(
    (requesterId: number, record: InterventionRecord) => {
      written.current.push({ requesterId, record });
      cache.update(requesterId, (data) => ({ ...data, interventions: [record, ...data.interventions] }));
      setState((s) =>
        s.kind === 'ready'
          ? { ...s, data: { ...s.data, interventions: [record, ...s.data.interventions] } }
          : s,
      );
    },
    [cache],
  );

  return { state, refresh, recordIntervention, pending, setPending };
}
