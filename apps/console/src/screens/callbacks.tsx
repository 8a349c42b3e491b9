import { Button } from '@zendeskgarden/react-buttons';
import { Tag } from '@zendeskgarden/react-tags';
import { useState } from 'react';
import { styled } from 'styled-components';
import type { CallbackItem, CallbackQueue, FunnelReport } from '../api-types.ts';
import type { ConsoleContext } from '../console-app.tsx';
import { useConnector } from '../load/use-connector.ts';
import { useI18n, type Translate } from '../i18n/i18n.tsx';
import { Card, CardTitle, ConnectorError, Empty, LinkButton, Loading, Muted, Stack } from '../ui.tsx';
import { FunnelCard } from './overview.tsx';
import { TIER_LABELS } from '../../../../shared/src/explain/tier-labels.ts';

const Table = styled.table`
  width: 100%;
  border-collapse: collapse;
  th,
  td {
    text-align: left;
    padding: 8px 10px;
    border-bottom: 1px solid #e9ebed;
    vertical-align: top;
  }
  th {
    font-size: 12px;
    font-weight: 600;
    color: #68737d;
  }
  tr.overdue td:first-child {
    box-shadow: inset 3px 0 0 #cc3340;
  }
`;

export function duration(minutes: number, t: Translate): string {
  const m = Math.abs(minutes);
  if (m < 60) return t('time.minutes', { n: m });
  if (m < 48 * 60) return t('time.hours', { n: Math.round(m / 60) });
  return t('time.days', { n: Math.round(m / 1440) });
}

function Clock({ item }: { item: CallbackItem }) {
  const { t } = useI18n();
  if (item.minutesToDue === null) return <Muted>{t('callbacks.noDue')}</Muted>;
  return item.overdue ? (
    <Tag hue="red">{t('callbacks.overdue', { time: duration(item.minutesToDue, t) })}</Tag>
  ) : (
    <Tag hue={item.minutesToDue < 120 ? 'yellow' : 'grey'}>
      {t('callbacks.dueIn', { time: duration(item.minutesToDue, t) })}
    </Tag>
  );
}

function Rows({
  items,
  ctx,
  onDone,
  outside,
}: {
  items: readonly CallbackItem[];
  ctx: ConsoleContext;
  onDone?: (item: CallbackItem) => void;
  outside?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Table>
      <thead>
        <tr>
          <th scope="col">{t('callbacks.rank')}</th>
          <th scope="col">{t('callbacks.ticket')}</th>
          <th scope="col">{t('callbacks.customer')}</th>
          <th scope="col">{t('callbacks.owner')}</th>
          <th scope="col">{t('callbacks.value')}</th>
          <th scope="col">{t('callbacks.sla')}</th>
          {!outside && <th scope="col" aria-label={t('callbacks.done')} />}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr
            key={item.ticketId}
            className={item.overdue ? 'overdue' : ''}
            data-testid="callback"
            data-ticket={item.ticketId}
          >
            <td>{item.rank}</td>
            <td>
              <LinkButton onClick={() => ctx.openTicket(item.ticketId)}>
                {t('callbacks.open', { id: item.ticketId })}
              </LinkButton>
              <div>
                <Muted>
                  {t(
                    item.action === 'compensation'
                      ? 'callbacks.action.compensation'
                      : 'callbacks.action.callback',
                  )}
                  {item.tier === null ? '' : ` · ${tierLabel(item.tier, i18n.locale)}`} · {item.agentMinutes}{' '}
                  min
                </Muted>
              </div>
              {outside && item.outsideCapacity !== null && (
                <Muted data-testid="outside-why">
                  {t('callbacks.outsideWhy', {
                    minutes: item.outsideCapacity.minutesNeeded,
                    left: item.outsideCapacity.minutesLeft,
                  })}
                </Muted>
              )}
            </td>
            <td>{item.customer ?? '—'}</td>
            <td>
              {item.groupId === null ? t('callbacks.unassigned') : t('callbacks.group', { id: item.groupId })}
            </td>
            <td>
              {item.valuePerMinute === null
                ? '—'
                : t('callbacks.perMinute', { value: i18n.money(Math.round(item.valuePerMinute)) })}
              <div>
                <Muted>{i18n.money(Math.round(item.expectedValue))}</Muted>
              </div>
            </td>
            <td>
              <Clock item={item} />
            </td>
            {!outside && (
              <td>
                <Button
                  size="small"
                  onClick={() => onDone?.(item)}
                  aria-label={`${t('callbacks.done')} #${item.ticketId}`}
                >
                  {t('callbacks.done')}
                </Button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The end of the agent's day (the browser's local midnight after `now`): what the queue calls today. */
export function endOfLocalDay(now: number): string {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).toISOString();
}

export function CallbacksScreen({ ctx }: { ctx: ConsoleContext }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [generation, setGeneration] = useState(0);
  const data = useConnector<{ queue: CallbackQueue; funnel: FunnelReport }>(
    `callbacks:${generation}`,
    async () => {
      const [queue, funnel] = await Promise.all([
        ctx.connector.get<CallbackQueue>(
          `/api/v1/callbacks?until=${encodeURIComponent(endOfLocalDay(Date.now()))}`,
        ),
        ctx.connector.get<FunnelReport>('/api/v1/funnel'),
      ]);
      if (!queue.ok) return queue;
      if (!funnel.ok) return funnel;
      return { ok: true, value: { queue: queue.value, funnel: funnel.value } };
    },
  );
  const done = async (item: CallbackItem) => {
    const result = await ctx.connector.post(`/api/v1/callbacks/${item.ticketId}/done`, {
      ...(ctx.agentName === null ? {} : { by: ctx.agentName }),
    });
    void ctx.client
      .invoke({
        name: 'notify',
        args: result.ok
          ? [
              t(item.action === 'compensation' ? 'callbacks.doneToastCompensation' : 'callbacks.doneToast', {
                id: item.ticketId,
              }),
              'notice',
            ]
          : [result.message || t('error.other.title'), 'error'],
      })
      .catch(() => undefined);
    setGeneration((g) => g + 1);
  };
  if (data.state === 'loading') return <Loading lines={6} />;
  if (data.state === 'error')
    return <ConnectorError failure={data.failure} connectorUrl={ctx.connectorUrl} onRetry={data.reload} />;
  const { queue, funnel } = data.value;
  return (
    <Stack data-testid="callbacks">
      <Card aria-labelledby="callbacks-title">
        <CardTitle id="callbacks-title">{t('callbacks.title')}</CardTitle>
        <Muted>
          {t('callbacks.capacity', {
            used: queue.usedMinutes,
            capacity: queue.capacityMinutes,
            value: i18n.money(Math.round(queue.scheduledValue)),
          })}{' '}
          · {t('callbacks.order')}
        </Muted>
        {queue.queue.length === 0 ? (
          <Empty>{t('callbacks.empty')}</Empty>
        ) : (
          <Rows items={queue.queue} ctx={ctx} onDone={(item) => void done(item)} />
        )}
        {queue.later.count > 0 && (
          <Muted data-testid="callbacks-later" data-count={queue.later.count}>
            {t(queue.later.count === 1 ? 'callbacks.laterOne' : 'callbacks.later', {
              count: queue.later.count,
              time:
                queue.later.nextDueAt === null
                  ? '—'
                  : duration(
                      Math.round((Date.parse(queue.later.nextDueAt) - Date.parse(queue.asOf)) / 60_000),
                      t,
                    ),
              value: i18n.money(Math.round(queue.later.expectedValue)),
            })}
          </Muted>
        )}
      </Card>
      {queue.outsideCapacity.length > 0 && (
        <Card aria-labelledby="outside-title" data-testid="outside-capacity">
          <CardTitle id="outside-title">
            {t('callbacks.outside')} · {i18n.money(Math.round(queue.deferredValue))}
          </CardTitle>
          <Rows items={queue.outsideCapacity} ctx={ctx} outside />
        </Card>
      )}
      <FunnelCard funnel={funnel} />
    </Stack>
  );
}

/** A tier in the reader's language; a tier the console does not know is shown as the connector named it. */
function tierLabel(tier: string, locale: 'en' | 'fr'): string {
  return tier in TIER_LABELS ? TIER_LABELS[tier as keyof typeof TIER_LABELS][locale] : tier;
}
