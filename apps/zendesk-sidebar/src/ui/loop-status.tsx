import { styled } from 'styled-components';
import { FOLLOW_UP_TEXTS, followUpKindOf } from '../../../../shared/src/index.ts';
import type { InterventionRecord } from '../requester/zendesk-records.ts';
import { useI18n } from './i18n-context.tsx';
import { getColor } from './layout.tsx';
import { Muted, Section, SectionTitle } from './layout.tsx';

const Due = styled.p<{ $overdue: boolean }>`
  margin: 0;
  font-weight: ${(p) => p.theme.fontWeights.semibold};
  color: ${(p) =>
    p.$overdue
      ? getColor({ theme: p.theme, variable: 'foreground.danger' })
      : getColor({ theme: p.theme, variable: 'foreground.default' })};
`;

const OPEN_STATUSES = ['recommended', 'applied', 'overridden'];

export function LoopStatus({
  intervention,
  nowMs,
  notSaved = false,
}: {
  intervention: InterventionRecord | null;
  nowMs: number;
  /** Recorded in the ledger, but the ticket does not carry it yet (not submitted since Apply). */
  notSaved?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Section aria-labelledby="boucle-loop" data-testid="loop-status">
      <SectionTitle id="boucle-loop">{t('loop.title')}</SectionTitle>
      {!intervention ? (
        <Muted>{t('loop.none')}</Muted>
      ) : (
        <>
          {intervention.dueAt && OPEN_STATUSES.includes(intervention.status) && !intervention.outcome ? (
            <DueLine dueAt={intervention.dueAt} action={intervention.action} nowMs={nowMs} />
          ) : null}
          <Muted data-testid="loop-state">
            {notSaved ? t('loop.notSaved') : t('loop.status', { status: t(`status.${intervention.status}`) })}{' '}
            · {t(`recommendation.action.${intervention.action}`)}
          </Muted>
          {intervention.outcome ? (
            <Muted data-testid="loop-outcome">
              {t('loop.outcome', {
                outcome: isOutcome(intervention.outcome)
                  ? t(`outcome.${intervention.outcome}`)
                  : intervention.outcome,
              })}
            </Muted>
          ) : null}
          {intervention.overrideReason ? (
            <Muted>{t('loop.overridden', { reason: intervention.overrideReason })}</Muted>
          ) : null}
        </>
      )}
    </Section>
  );
}

const OUTCOMES = ['contacted', 'resolved', 'compensated', 'recovered', 'lost'] as const;
function isOutcome(value: string): value is (typeof OUTCOMES)[number] {
  return (OUTCOMES as readonly string[]).includes(value);
}

/** The follow-up's clock in the words of the intervention's own promise (shared/src/policy/follow-up.ts). */
function DueLine({ dueAt, action, nowMs }: { dueAt: string; action: string; nowMs: number }) {
  const { locale } = useI18n();
  const due = Date.parse(dueAt);
  const kind = followUpKindOf(action);
  if (Number.isNaN(due) || kind === null) return null;
  const hours = Math.round(Math.abs(due - nowMs) / 3_600_000);
  const overdue = due < nowMs;
  return (
    <Due $overdue={overdue} data-testid={overdue ? 'loop-overdue' : 'loop-due'}>
      {FOLLOW_UP_TEXTS[kind][overdue ? 'overdue' : 'dueIn'][locale](hours)}
    </Due>
  );
}
