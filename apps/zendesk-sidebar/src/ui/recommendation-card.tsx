import { useState } from 'react';
import { styled } from 'styled-components';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Label, Hint, Message, Select, Textarea } from '@zendeskgarden/react-forms';
import { Notification } from '@zendeskgarden/react-notifications';
import { Tag } from '@zendeskgarden/react-tags';
import { FOLLOW_UP_TEXTS, compensationWording } from '../../../../shared/src/index.ts';
import type { ApplyStatus } from '../app/apply-status.ts';
import { TO_FILL } from '../app/reply-templates.ts';
import type { Action, RecommendationView } from '../app/sidebar-model.ts';
import { formatDateTime, formatMoney } from '../i18n/i18n.ts';
import { useI18n } from './i18n-context.tsx';
import { FactGrid, Muted, PlainList, Row, Section, SectionTitle, theme } from './layout.tsx';

const PRIORITY_HUE = { low: 'grey', normal: 'blue', high: 'orange', urgent: 'red' } as const;
const ACTIONS: readonly Action[] = ['none', 'apology', 'callback', 'compensation'];

const Headline = styled.p`
  margin: 0;
  font-size: ${theme.fontSizes.md};
  line-height: ${theme.lineHeights.md};
`;

const Draft = styled.p`
  margin: 0;
  white-space: pre-wrap;
  font-size: ${theme.fontSizes.sm};
  line-height: ${theme.lineHeights.sm};
  padding: ${theme.space.xs};
  border-radius: ${theme.borderRadii.md};
  background: #f8f9f9;
`;

const ToFill = styled.mark`
  background: #fff0b3;
  outline: 1px dashed #ad5918;
  padding: 0 2px;
`;

/** The draft with the parts the agent must write highlighted. */
function DraftText({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(TO_FILL)) {
    parts.push(text.slice(last, match.index));
    parts.push(
      <ToFill key={match.index} data-testid="draft-to-fill">
        {match[0]}
      </ToFill>,
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <Draft data-testid="draft-reply">{parts}</Draft>;
}

const Buttons = styled.div`
  display: flex;
  gap: ${theme.space.xs};
  flex-wrap: wrap;
`;

export type ApplyState = { kind: 'idle' } | { kind: 'applying' } | { kind: 'failed'; detail: string };

export interface ApplyChoice {
  readonly action: Action;
  /** Present when the agent overrides the recommendation. */
  readonly overrideReason: string | null;
  /** Fill the form again from the ticket's ledger record, recording nothing new. */
  readonly reapply?: boolean;
}

export function RecommendationCard({
  recommendation,
  draft,
  ticketClosed,
  applyState,
  applyStatus = { kind: 'not-applied' },
  onApply,
}: {
  recommendation: RecommendationView;
  /** The draft reply Apply adds to the comment box, in the customer's language. */
  draft: string;
  /** Zendesk refuses every change to a closed ticket. */
  ticketClosed: boolean;
  applyState: ApplyState;
  /** What is really stored: the ledger record, the saved ticket, and what this visit filled in the form. */
  applyStatus?: ApplyStatus;
  onApply: (choice: ApplyChoice) => void;
}) {
  const { t, locale } = useI18n();
  const [showDetails, setShowDetails] = useState(false);
  const [overriding, setOverriding] = useState(false);
  const [overrideAction, setOverrideAction] = useState<Action>(
    ACTIONS.find((a) => a !== recommendation.action) ?? 'none',
  );
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const busy = applyState.kind === 'applying';
  const r = recommendation;

  return (
    <Section aria-labelledby="boucle-recommendation" data-testid="recommendation">
      <SectionTitle id="boucle-recommendation">{t('recommendation.title')}</SectionTitle>
      <Row>
        <strong data-testid="recommendation-action">
          {t(`recommendation.action.${r.action}`)}
          {r.compensation ? ` — ${compensationWording(r.compensation, locale)}` : ''}
        </strong>
        <Tag hue={PRIORITY_HUE[r.priority]} size="small" data-testid="recommendation-priority">
          <span>{t(`priority.${r.priority}`)}</span>
        </Tag>
      </Row>
      <Headline data-testid="recommendation-headline">{r.headline}</Headline>
      {r.ticketStage !== 'live' ? (
        <Notification type="info" data-testid="ticket-stage">
          {t(r.ticketStage === 'solved' ? 'stage.solved' : 'stage.reopened')}
          {ticketClosed ? ` ${t('stage.closed')}` : ''}
        </Notification>
      ) : null}
      <FactGrid>
        <dt>{t('recommendation.expectedValue')}</dt>
        <dd data-testid="recommendation-ev">{formatMoney(locale, r.expectedValue)}</dd>
        <dt>{t('recommendation.cost')}</dt>
        <dd>{formatMoney(locale, r.cost)}</dd>
        {r.followUp ? (
          <>
            <dt data-testid="recommendation-deadline-label">
              {FOLLOW_UP_TEXTS[r.followUp.kind].dueLabel[locale]}
            </dt>
            <dd data-testid="recommendation-deadline">{formatDateTime(locale, r.followUp.dueAt)}</dd>
          </>
        ) : null}
      </FactGrid>
      {draft ? (
        <div>
          <Muted as="h3" style={{ marginTop: 4 }}>
            {t('draft.title')}
          </Muted>
          <DraftText text={draft} />
          {draft.match(TO_FILL) ? <Hint data-testid="draft-hint">{t('draft.toFill')}</Hint> : null}
        </div>
      ) : null}
      <Button isLink size="small" onClick={() => setShowDetails((v) => !v)} aria-expanded={showDetails}>
        {t('recommendation.details')}
      </Button>
      {showDetails ? (
        <div data-testid="recommendation-details">
          <DetailList title={t('recommendation.facts')} items={r.facts} />
          <DetailList title={t('recommendation.rules')} items={r.rules} />
          <DetailList title={t('recommendation.figures')} items={r.figures} />
        </div>
      ) : null}
      {overriding && applyStatus.kind !== 'pending' ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim() === '') {
              setReasonMissing(true);
              return;
            }
            onApply({ action: overrideAction, overrideReason: reason.trim() });
          }}
        >
          <Field>
            <Label>{t('apply.overrideAction')}</Label>
            <Select
              value={overrideAction}
              onChange={(e) => setOverrideAction(e.target.value as Action)}
              data-testid="override-action"
            >
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`recommendation.action.${a}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field>
            <Label>{t('apply.overrideReason')}</Label>
            <Hint>{t('apply.overrideReasonHint')}</Hint>
            <Textarea
              value={reason}
              rows={2}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonMissing(false);
              }}
              {...(reasonMissing ? { validation: 'error' as const } : {})}
              data-testid="override-reason"
            />
            {reasonMissing ? <Message validation="error">{t('apply.overrideReasonMissing')}</Message> : null}
          </Field>
          <Buttons style={{ marginTop: 8 }}>
            <Button type="submit" size="small" isPrimary disabled={busy} data-testid="override-submit">
              {t('apply.overrideSubmit')}
            </Button>
            <Button size="small" isBasic onClick={() => setOverriding(false)}>
              {t('apply.cancel')}
            </Button>
          </Buttons>
        </form>
      ) : ticketClosed ? null : (
        <>
          <ApplyStatusNotice status={applyStatus} />
          {applyStatus.kind === 'pending' ? null : (
            <Buttons>
              {applyStatus.kind === 'not-applied' ? (
                <Button
                  isPrimary
                  size="small"
                  disabled={busy}
                  onClick={() => onApply({ action: r.action, overrideReason: null })}
                  data-testid="apply"
                >
                  {busy ? t('apply.applying') : t('apply.button')}
                </Button>
              ) : (
                <Button
                  isPrimary={applyStatus.kind === 'not-saved'}
                  isBasic={applyStatus.kind === 'saved'}
                  size="small"
                  disabled={busy}
                  onClick={() => onApply({ action: r.action, overrideReason: null, reapply: true })}
                  data-testid="reapply"
                >
                  {busy ? t('apply.applying') : t('apply.reapply')}
                </Button>
              )}
              <Button
                size="small"
                isBasic
                disabled={busy}
                onClick={() => setOverriding(true)}
                data-testid="override"
              >
                {t('apply.override')}
              </Button>
            </Buttons>
          )}
          {applyStatus.kind === 'pending' ? null : (
            <Muted data-testid="apply-hint">
              {applyStatus.kind === 'not-applied' ? t('apply.hint') : t('apply.reapplyHint')}
            </Muted>
          )}
        </>
      )}
      {applyState.kind === 'failed' ? (
        <Notification type="error" role="alert" data-testid="apply-failed">
          {t('apply.failed', { detail: applyState.detail })}
        </Notification>
      ) : null}
    </Section>
  );
}

/** Says plainly what is stored and what waits for the agent's Submit. */
function ApplyStatusNotice({ status }: { status: ApplyStatus }) {
  const { t, locale } = useI18n();
  if (status.kind === 'not-applied') return null;
  if (status.kind === 'pending') {
    return (
      <Notification type="warning" data-testid="apply-done" data-state="pending">
        <strong>{t('apply.pending.title')}</strong>
        <p style={{ margin: '4px 0 0' }}>
          {t(status.pending.reapplied ? 'apply.pending.reapplied' : 'apply.pending.body', {
            action: t(`recommendation.action.${status.pending.action}`),
          })}
        </p>
      </Notification>
    );
  }
  const record = status.record;
  const values = {
    action: t(`recommendation.action.${record.action}`),
    date: record.decidedAt ? formatDateTime(locale, record.decidedAt) : '—',
  };
  return status.kind === 'saved' ? (
    <Notification type="success" data-testid="apply-saved">
      {t('apply.saved', values)}
    </Notification>
  ) : (
    <Notification type="warning" data-testid="apply-not-saved">
      <strong>{t('apply.notSaved.title')}</strong>
      <p style={{ margin: '4px 0 0' }}>{t('apply.notSaved.body', values)}</p>
    </Notification>
  );
}

function DetailList({ title, items }: { title: string; items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <Muted as="h3" style={{ marginTop: 4 }}>
        {title}
      </Muted>
      <PlainList>
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </PlainList>
    </>
  );
}
