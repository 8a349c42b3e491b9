import { styled } from 'styled-components';
import { Tag } from '@zendeskgarden/react-tags';
import type { FeedbackRecord, InterventionRecord } from '../requester/zendesk-records.ts';
import { formatDate } from '../i18n/i18n.ts';
import { useI18n } from './i18n-context.tsx';
import { getColor, Muted, PlainList, Row, Section, SectionTitle, theme } from './layout.tsx';

const Comment = styled.q`
  display: block;
  margin-top: 2px;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  color: ${getColor({ theme, variable: 'foreground.default' })};
  quotes: '“' '”';
`;

/** Red for bad answers, green for good ones, on each metric's own scale. */
function hueOf(record: FeedbackRecord): string {
  const { kind, score } = record;
  if (score === 'good') return 'green';
  if (score === 'bad') return 'red';
  if (kind === 'nps') return score >= 9 ? 'green' : score >= 7 ? 'grey' : 'red';
  if (kind === 'csat') {
    const max = record.scale === '1-3' ? 3 : record.scale === '1-2' ? 2 : 5;
    return score >= max - (max === 5 ? 1 : 0) ? 'green' : score <= Math.ceil(max / 2) ? 'red' : 'grey';
  }
  if (kind === 'ces' && record.scale === '1-7_agree')
    return score >= 5 ? 'green' : score <= 3 ? 'red' : 'grey';
  if (kind === 'ces') return score <= 3 ? 'green' : score >= 5 ? 'red' : 'grey';
  return 'grey';
}

export function FeedbackTimeline({ feedback }: { feedback: readonly FeedbackRecord[] }) {
  const { t, locale } = useI18n();
  return (
    <Section aria-labelledby="boucle-feedback">
      <SectionTitle id="boucle-feedback">{t('feedback.title')}</SectionTitle>
      {feedback.length === 0 ? (
        <Muted data-testid="feedback-empty">{t('feedback.none')}</Muted>
      ) : (
        <PlainList data-testid="feedback-list">
          {feedback.slice(0, 8).map((record) => (
            <li key={record.id}>
              <Row>
                <span>
                  <Tag hue={hueOf(record)} size="small">
                    <span>
                      {t(`feedback.kind.${record.kind}`)} {record.score}
                      {record.scale && record.kind !== 'nps'
                        ? `/${record.scale.replace(/^1-|_agree$/g, '')}`
                        : ''}
                    </span>
                  </Tag>
                </span>
                <Muted as="span">{formatDate(locale, record.respondedAt)}</Muted>
              </Row>
              {record.channel || record.touchpoint ? (
                <Muted>
                  {t('feedback.via', {
                    channel: record.channel ?? '—',
                    touchpoint: record.touchpoint ?? '—',
                  })}
                </Muted>
              ) : null}
              {record.comment ? <Comment data-testid="feedback-comment">{record.comment}</Comment> : null}
            </li>
          ))}
        </PlainList>
      )}
    </Section>
  );
}

const OUTCOMES: readonly string[] = ['contacted', 'resolved', 'compensated', 'recovered', 'lost'];
type Outcome = 'contacted' | 'resolved' | 'compensated' | 'recovered' | 'lost';

export function PastIncidents({
  interventions,
  currentTicketId,
}: {
  interventions: readonly InterventionRecord[];
  currentTicketId: number;
}) {
  const { t, locale } = useI18n();
  const past = interventions.filter((i) => i.ticketId !== String(currentTicketId));
  return (
    <Section aria-labelledby="boucle-incidents">
      <SectionTitle id="boucle-incidents">{t('incidents.title')}</SectionTitle>
      {past.length === 0 ? (
        <Muted data-testid="incidents-empty">{t('incidents.none')}</Muted>
      ) : (
        <PlainList data-testid="incidents-list">
          {past.slice(0, 5).map((i) => (
            <li key={i.id}>
              <Row>
                <span>
                  #{i.ticketId ?? '?'} ·{' '}
                  {t('incidents.item', {
                    action: t(`recommendation.action.${i.action}`),
                    status: t(`status.${i.status}`),
                  })}
                  {i.outcome
                    ? ` · ${OUTCOMES.includes(i.outcome) ? t(`outcome.${i.outcome as Outcome}`) : i.outcome}`
                    : ''}
                </span>
                {i.decidedAt ? <Muted as="span">{formatDate(locale, i.decidedAt)}</Muted> : null}
              </Row>
            </li>
          ))}
        </PlainList>
      )}
    </Section>
  );
}
