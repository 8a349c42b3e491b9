import { useState } from 'react';
import { styled } from 'styled-components';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Label, Hint, Message, Select, Textarea } from '@zendeskgarden/react-forms';
import { Notification } from '@zendeskgarden/react-notifications';
import { Tag } from '@zendeskgarden/react-tags';
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

const Buttons = styled.div`
  display: flex;
  gap: ${theme.space.xs};
  flex-wrap: wrap;
`;

export type ApplyState =
  { kind: 'idle' } | { kind: 'applying' } | { kind: 'done' } | { kind: 'failed'; detail: string };

export interface ApplyChoice {
  readonly action: Action;
  /** Present when the agent overrides the recommendation. */
  readonly overrideReason: string | null;
}

export function RecommendationCard({
  recommendation,
  applyState,
  onApply,
}: {
  recommendation: RecommendationView;
  applyState: ApplyState;
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
          {r.compensationTier ? ` (${r.compensationTier})` : ''}
        </strong>
        <Tag hue={PRIORITY_HUE[r.priority]} size="small" data-testid="recommendation-priority">
          <span>{t(`priority.${r.priority}`)}</span>
        </Tag>
      </Row>
      <Headline data-testid="recommendation-headline">{r.headline}</Headline>
      <FactGrid>
        <dt>{t('recommendation.expectedValue')}</dt>
        <dd data-testid="recommendation-ev">{formatMoney(locale, r.expectedValue)}</dd>
        <dt>{t('recommendation.cost')}</dt>
        <dd>{formatMoney(locale, r.cost)}</dd>
        {r.callbackDueAt ? (
          <>
            <dt>{t('recommendation.deadline')}</dt>
            <dd data-testid="recommendation-deadline">{formatDateTime(locale, r.callbackDueAt)}</dd>
          </>
        ) : null}
      </FactGrid>
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
      {overriding ? (
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
      ) : (
        <Buttons>
          <Button
            isPrimary
            size="small"
            disabled={busy}
            onClick={() => onApply({ action: r.action, overrideReason: null })}
            data-testid="apply"
          >
            {busy ? t('apply.applying') : t('apply.button')}
          </Button>
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
      {applyState.kind === 'done' ? (
        <Notification type="success" data-testid="apply-done">
          {t('apply.done')}
        </Notification>
      ) : null}
      {applyState.kind === 'failed' ? (
        <Notification type="error" role="alert" data-testid="apply-failed">
          {t('apply.failed', { detail: applyState.detail })}
        </Notification>
      ) : null}
    </Section>
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
