import { styled } from 'styled-components';
import { Tag } from '@zendeskgarden/react-tags';
import type { FeedbackRecord, InterventionRecord } from '../requester/zendesk-records.ts';
import {
  categorizeNps,
  isCsatSatisfied,
  toCustomerEffort,
} from '../../../../shared/src/metrics/feedback-metrics.ts';
import { formatDate, type MessageKey } from '../i18n/i18n.ts';
import { newestFirst } from '../requester/load-requester-data.ts';
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

const Answers = styled.div`
  display: grid;
  gap: 2px;
  margin-top: 2px;
`;

/** What one answer means on its metric's own scale (../shared/DOMAIN.md §1), and the colour that goes with it. */
export function meaningOf(record: FeedbackRecord): { key: MessageKey; hue: string } {
  const { kind, score } = record;
  if (kind === 'nps' && typeof score === 'number') {
    const category = categorizeNps(score);
    return {
      key: `feedback.meaning.${category}`,
      hue: category === 'promoter' ? 'green' : category === 'passive' ? 'grey' : 'red',
    };
  }
  if (kind === 'csat' || typeof score !== 'number') {
    const scale = score === 'good' || score === 'bad' ? 'good_bad' : (record.scale ?? '1-5');
    const known = ['1-5', '1-3', '1-2', 'good_bad'].includes(scale);
    const satisfied = known
      ? isCsatSatisfied({ scale, score } as Parameters<typeof isCsatSatisfied>[0])
      : score === 'good';
    return satisfied
      ? { key: 'feedback.meaning.satisfied', hue: 'green' }
      : { key: 'feedback.meaning.dissatisfied', hue: 'red' };
  }
  // CES and company effort: 1 = very little, 7 = a great deal (the "agree" CES form is reversed first).
  const effort =
    kind === 'ces'
      ? toCustomerEffort({ scale: record.scale === '1-7_agree' ? '1-7_agree' : '1-7', score })
      : score;
  const level = effort <= 3 ? 'effortLow' : effort >= 5 ? 'effortHigh' : 'effortMedium';
  // A customer's high effort is bad news; the company's effort is shown without a verdict.
  const hue =
    kind === 'ces' ? (level === 'effortLow' ? 'green' : level === 'effortHigh' ? 'red' : 'grey') : 'grey';
  return { key: `feedback.meaning.${level}`, hue };
}

/** The answers of one interaction: one ticket, or one touchpoint and channel on one day when there is no ticket. */
export interface FeedbackGroup {
  readonly key: string;
  readonly ticketId: string | null;
  readonly channel: string | null;
  readonly touchpoint: string | null;
  /** The newest answer's time. */
  readonly at: string;
  readonly answers: readonly FeedbackRecord[];
}

const KIND_ORDER = ['nps', 'csat', 'ces', 'company_effort'] as const;

/** Groups the answers by interaction, newest interaction first; within one, NPS, CSAT, CES, company effort. */
export function groupFeedback(feedback: readonly FeedbackRecord[]): FeedbackGroup[] {
  const groups = new Map<string, FeedbackRecord[]>();
  for (const record of feedback) {
    const key = record.ticketId
      ? `ticket:${record.ticketId}`
      : `touchpoint:${record.touchpoint ?? ''}|${record.channel ?? ''}|${record.respondedAt.slice(0, 10)}`;
    const list = groups.get(key) ?? [];
    list.push(record);
    groups.set(key, list);
  }
  return [...groups]
    .map(([key, answers]) => {
      const sorted = [...answers].sort(
        (a, b) =>
          KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
          newestFirst(a.respondedAt, b.respondedAt),
      );
      const newest = [...answers].sort((a, b) => newestFirst(a.respondedAt, b.respondedAt))[0] ?? answers[0];
      const first = (pick: (r: FeedbackRecord) => string | null) =>
        answers.map(pick).find((v) => v !== null) ?? null;
      return {
        key,
        ticketId: first((r) => r.ticketId),
        channel: first((r) => r.channel),
        touchpoint: first((r) => r.touchpoint),
        at: newest?.respondedAt ?? '',
        answers: sorted,
      };
    })
    .sort((a, b) => newestFirst(a.at, b.at));
}

const readable = (value: string) => value.replace(/_/g, ' ');

function scoreText(record: FeedbackRecord): string {
  const scale =
    record.scale && record.kind !== 'nps' && typeof record.score === 'number'
      ? `/${record.scale.replace(/^1-|_agree$/g, '')}`
      : '';
  return `${String(record.score)}${scale}`;
}

export function FeedbackTimeline({
  feedback,
  currentTicketId,
}: {
  feedback: readonly FeedbackRecord[];
  currentTicketId?: number;
}) {
  const { t, locale } = useI18n();
  const groups = groupFeedback(feedback).slice(0, 5);
  return (
    <Section aria-labelledby="boucle-feedback">
      <SectionTitle id="boucle-feedback">{t('feedback.title')}</SectionTitle>
      {feedback.length === 0 ? (
        <Muted data-testid="feedback-empty">{t('feedback.none')}</Muted>
      ) : (
        <PlainList data-testid="feedback-list">
          {groups.map((group) => (
            <li key={group.key} data-testid="feedback-group">
              <Row>
                <strong>
                  {group.ticketId === null
                    ? t('feedback.withoutTicket')
                    : group.ticketId === String(currentTicketId)
                      ? t('feedback.thisTicket', { id: group.ticketId })
                      : t('feedback.ticket', { id: group.ticketId })}
                </strong>
                <Muted as="span">{formatDate(locale, group.at)}</Muted>
              </Row>
              {group.channel || group.touchpoint ? (
                <Muted>
                  {t('feedback.via', {
                    channel: readable(group.channel ?? '—'),
                    touchpoint: readable(group.touchpoint ?? '—'),
                  })}
                </Muted>
              ) : null}
              <Answers>
                {group.answers.map((record) => {
                  const meaning = meaningOf(record);
                  return (
                    <div key={record.id} data-testid="feedback-answer">
                      <Tag hue={meaning.hue} size="small">
                        <span>
                          {t(`feedback.kind.${record.kind}`)} {scoreText(record)}
                        </span>
                      </Tag>{' '}
                      <span>— {t(meaning.key)}</span>
                      {record.comment ? (
                        <Comment data-testid="feedback-comment">{record.comment}</Comment>
                      ) : null}
                    </div>
                  );
                })}
              </Answers>
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
