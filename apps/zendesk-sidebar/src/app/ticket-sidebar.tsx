import { useCallback, useState } from 'react';
import { Button } from '@zendeskgarden/react-buttons';
import { Alert, Notification } from '@zendeskgarden/react-notifications';
import { formatDateTime } from '../i18n/i18n.ts';
import { CustomerCard } from '../ui/customer-card.tsx';
import { EffortGauge } from '../ui/effort-gauge.tsx';
import { FeedbackTimeline, PastIncidents } from '../ui/feedback-timeline.tsx';
import { useI18n } from '../ui/i18n-context.tsx';
import { Muted, Section, SectionTitle, Stack } from '../ui/layout.tsx';
import { LoadingSkeleton } from '../ui/loading-skeleton.tsx';
import { LoopStatus } from '../ui/loop-status.tsx';
import { RecommendationCard, type ApplyChoice, type ApplyState } from '../ui/recommendation-card.tsx';
import { SettingsProblems } from '../ui/settings-problems.tsx';
import { toSidebarLocale, type SidebarLocale } from '../i18n/i18n.ts';
import type { RecommendationView } from './sidebar-model.ts';
import { applyIntervention } from './apply-intervention.ts';
import { applyStatusOf, recordForTicket, resolveFieldIds } from './apply-status.ts';
import { draftReply } from './reply-templates.ts';
import { useSidebar, type SidebarDeps } from './use-sidebar.ts';

export interface TicketSidebarProps extends SidebarDeps {
  /** Ticket field ids from settings (digits); when empty, the ones found by title are used. */
  readonly settingsFieldIds: { readonly intervention: string; readonly callbackDueAt: string };
}

/** The draft reply of an action, in the customer's language, with the recommendation's follow-up and tier. */
function draftFor(
  action: RecommendationView['action'],
  recommendation: RecommendationView,
  locale: SidebarLocale,
  customerName: string,
  dueAt: string | null = recommendation.followUp?.dueAt ?? null,
): string {
  return draftReply(action, locale, {
    customerName,
    ...(dueAt ? { deadline: formatDateTime(locale, dueAt) } : {}),
    compensation: action === 'compensation' ? recommendation.compensation : null,
  });
}

export function TicketSidebar(props: TicketSidebarProps) {
  const { t } = useI18n();
  const { state, refresh, recordIntervention, pending, setPending } = useSidebar(props);
  const [applyState, setApplyState] = useState<ApplyState>({ kind: 'idle' });
  const { client, api, now, settingsProblems, settingsFieldIds } = props;

  const onApply = useCallback(
    (choice: ApplyChoice) => {
      if (state.kind !== 'ready' || !state.decision?.ok) return;
      const { ticket, data } = state;
      const recommendation = state.decision.recommendation;
      // A re-application fills the form again from the ticket's ledger record; it records nothing new.
      const existing = choice.reapply ? recordForTicket(data.interventions, ticket.id) : null;
      if (choice.reapply && !existing) return;
      const action = existing ? existing.action : choice.action;
      const overrideReason = existing ? existing.overrideReason : choice.overrideReason;
      const dueAt = existing ? existing.dueAt : (recommendation.followUp?.dueAt ?? null);
      const customerLocale = toSidebarLocale(data.user.locale ?? ticket.requester?.locale);
      setApplyState({ kind: 'applying' });
      applyIntervention(client, api, {
        ticket,
        requesterId: data.user.id,
        recommendation,
        action,
        overrideReason,
        draftReply: draftFor(action, recommendation, customerLocale, data.user.name, dueAt),
        now: now(),
        fieldIds: resolveFieldIds(settingsFieldIds, ticket),
        existing,
      }).then(
        (record) => {
          if (!existing) recordIntervention(data.user.id, record);
          setPending({
            ticketId: ticket.id,
            action,
            recordId: record.id,
            reapplied: existing !== null,
            recommendation,
          });
          setApplyState({ kind: 'idle' });
        },
        (error: unknown) =>
          setApplyState({ kind: 'failed', detail: error instanceof Error ? error.message : String(error) }),
      );
    },
    [state, client, api, now, recordIntervention, setPending, settingsFieldIds],
  );

  const problems = settingsProblems.length > 0 ? <SettingsProblems problems={settingsProblems} /> : null;

  if (state.kind === 'loading') {
    return (
      <Stack>
        {problems}
        <LoadingSkeleton />
      </Stack>
    );
  }
  if (state.kind === 'no-requester') {
    return (
      <Stack>
        {problems}
        <Muted data-testid="no-requester">{t('state.noRequester')}</Muted>
      </Stack>
    );
  }
  if (state.kind === 'error') {
    return (
      <Stack>
        {problems}
        <Alert type="error" role="alert" data-testid="api-error">
          <Alert.Title>{t('state.apiError', { detail: state.detail })}</Alert.Title>
          <p style={{ margin: '4px 0' }}>{t('state.apiErrorHint')}</p>
          <Button size="small" onClick={() => void refresh({ reload: true })}>
            {t('state.retry')}
          </Button>
        </Alert>
      </Stack>
    );
  }

  const { ticket, data, decision } = state;
  const nowMs = now().getTime();
  const customerLocale = toSidebarLocale(data.user.locale ?? ticket.requester?.locale);
  const current = recordForTicket(data.interventions, ticket.id);
  const applyStatus = applyStatusOf(current, state.stored, pending?.ticketId === ticket.id ? pending : null);
  // Until Submit, the card keeps showing the recommendation that was applied.
  const applied = applyStatus.kind === 'pending' ? applyStatus.pending.recommendation : undefined;
  return (
    <Stack data-testid="sidebar-ready">
      {problems}
      {data.partialErrors.length > 0 ? (
        <Notification type="warning" data-testid="partial-error">
          {t('state.partial')}
          <ul style={{ margin: 0, paddingLeft: 16 }}>
            {data.partialErrors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </Notification>
      ) : null}
      {decision?.ok ? (
        <>
          <RecommendationCard
            recommendation={applied ?? decision.recommendation}
            draft={draftFor(
              (applied ?? decision.recommendation).action,
              applied ?? decision.recommendation,
              customerLocale,
              data.user.name,
            )}
            ticketClosed={ticket.status === 'closed'}
            applyState={applyState}
            applyStatus={applyStatus}
            onApply={onApply}
          />
          <EffortGauge effort={decision.recommendation.effort} />
        </>
      ) : decision ? (
        <Section>
          <SectionTitle>{t('recommendation.title')}</SectionTitle>
          <Muted data-testid="recommendation-unavailable">
            {t('recommendation.unavailable', { reason: decision.reason })}
          </Muted>
        </Section>
      ) : null}
      <LoopStatus
        intervention={current}
        nowMs={nowMs}
        notSaved={applyStatus.kind === 'pending' || applyStatus.kind === 'not-saved'}
      />
      <CustomerCard data={data} nowMs={nowMs} />
      <FeedbackTimeline feedback={data.feedback} currentTicketId={ticket.id} />
      <PastIncidents interventions={data.interventions} currentTicketId={ticket.id} />
    </Stack>
  );
}
