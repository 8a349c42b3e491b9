import { Button } from '@zendeskgarden/react-buttons';
import { Tag } from '@zendeskgarden/react-tags';
import { useState } from 'react';
import { signalId } from '../../../../shared/src/programme/signal-id.ts';
import type { SignAlert, SignalScan, SignalState, WarningSign } from '../api-types.ts';
import type { ConsoleContext } from '../console-app.tsx';
import { useConnector } from '../load/use-connector.ts';
import { useI18n, type MessageKey, type Translate } from '../i18n/i18n.tsx';
import { Card, ConnectorError, Empty, LinkButton, Loading, Muted, Row, Stack } from '../ui.tsx';

export const idOf = (sign: WarningSign): string =>
  signalId({
    kind: sign.kind as Parameters<typeof signalId>[0]['kind'],
    dimension: sign.dimension as Parameters<typeof signalId>[0]['dimension'],
    value: sign.value,
    phrase: sign.phrase,
  });

/** The signs nobody acknowledged, or whose snooze is over; the engine's order (most certain first). */
export function openSigns(signs: readonly WarningSign[], states: readonly SignalState[]): WarningSign[] {
  const handled = new Set(states.map((s) => s.id));
  return signs.filter((sign) => !handled.has(idOf(sign)));
}

export function signTitle(sign: WarningSign, t: Translate): string {
  if (sign.kind === 'emerging_keyword') return t('sign.emerging_keyword', { phrase: sign.phrase ?? '' });
  return t(`sign.${sign.kind}` as MessageKey);
}

export function dimensionLabel(sign: WarningSign, t: Translate): string {
  if (sign.dimension === 'all') return t('dimension.all');
  const key = `dimension.${sign.dimension}` as MessageKey;
  return t('sign.cut', { dimension: t(key), value: sign.value });
}

/** "Alerted: group #360001 on ticket #812 (2 Dec)", the ticket one click away; nobody yet without an alert. */
function Alerted({ alert, ctx }: { alert: SignAlert | undefined; ctx: ConsoleContext }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (alert === undefined)
    return <Muted data-testid="sign-alerted">{t('signs.alerted', { who: t('signs.alertedNobody') })}</Muted>;
  return (
    <Row $gap={4} data-testid="sign-alerted" data-alert-ticket={alert.ticketId}>
      <Muted>
        {t('signs.alerted', {
          who: t(alert.owner.kind === 'agent' ? 'signs.alertedAgent' : 'signs.alertedGroup', {
            id: alert.owner.id,
          }),
        })}
      </Muted>
      <Muted>{t('signs.alertTicket')}</Muted>
      <LinkButton onClick={() => ctx.openTicket(alert.ticketId)}>#{alert.ticketId}</LinkButton>
      <Muted>
        (
        {alert.updatedAt === alert.openedAt
          ? t('signs.alertOpened', { at: i18n.date(alert.openedAt) })
          : t('signs.alertUpdated', { at: i18n.date(alert.updatedAt) })}
        )
      </Muted>
    </Row>
  );
}

function SignCard({
  sign,
  state,
  alert,
  ctx,
  onChanged,
}: {
  sign: WarningSign;
  state: SignalState | undefined;
  alert: SignAlert | undefined;
  ctx: ConsoleContext;
  onChanged: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const act = async (action: 'acknowledge' | 'snooze') => {
    setBusy(true);
    const result = await ctx.connector.post(`/api/v1/signals/${encodeURIComponent(idOf(sign))}/ack`, {
      action,
      ...(action === 'snooze' ? { days: 7 } : {}),
      ...(ctx.agentName === null ? {} : { by: ctx.agentName }),
    });
    setBusy(false);
    if (!result.ok)
      void ctx.client
        .invoke({ name: 'notify', args: [result.message || t('error.other.title'), 'error'] })
        .catch(() => undefined);
    onChanged();
  };
  const points = Math.round(sign.change * 100);
  return (
    <Card data-testid="sign" data-sign={idOf(sign)} aria-label={signTitle(sign, t)}>
      <Stack $gap={8}>
        <Row $gap={8}>
          <strong style={{ fontSize: 15 }}>{signTitle(sign, t)}</strong>
          <Tag>{dimensionLabel(sign, t)}</Tag>
          <Tag hue={points < 0 ? 'red' : 'yellow'}>
            {points > 0 ? '+' : ''}
            {points} pts
          </Tag>
          {state !== undefined && (
            <Tag hue="grey" data-testid="sign-state">
              {state.state === 'acknowledged'
                ? t('signs.acknowledged', { by: state.by ?? t('signs.someone'), at: i18n.date(state.at) })
                : t('signs.snoozed', { until: i18n.date(state.until ?? state.at) })}
            </Tag>
          )}
        </Row>
        <div>
          {t('signs.fromTo', { from: i18n.percent(sign.baseline.rate), to: i18n.percent(sign.recent.rate) })}{' '}
          · {t('signs.since', { month: i18n.month(sign.since) })} ·{' '}
          {t('signs.onAnswers', { n: sign.answers })} ·{' '}
          <Muted>
            {t('signs.certainty', {
              q: sign.qValue < 0.001 ? '< 0.001' : `= ${i18n.decimal(sign.qValue, 3)}`,
            })}
          </Muted>
        </div>
        <Row $gap={8}>
          <Muted>{t('signs.tickets', { count: sign.ticketCount })}:</Muted>
          {sign.tickets.slice(0, 12).map((id) => (
            <LinkButton key={id} onClick={() => ctx.openTicket(id)} data-ticket={id}>
              #{id}
            </LinkButton>
          ))}
          {sign.ticketCount > 12 && <Muted>…</Muted>}
        </Row>
        <Alerted alert={alert} ctx={ctx} />
        {state === undefined && (
          <Row $gap={8}>
            <Button size="small" disabled={busy} onClick={() => void act('acknowledge')}>
              {t('signs.acknowledge')}
            </Button>
            <Button size="small" isBasic disabled={busy} onClick={() => void act('snooze')}>
              {t('signs.snooze')}
            </Button>
          </Row>
        )}
      </Stack>
    </Card>
  );
}

export function SignalsScreen({ ctx }: { ctx: ConsoleContext }) {
  const { t } = useI18n();
  const [showHandled, setShowHandled] = useState(false);
  const data = useConnector<{ scan: SignalScan; states: SignalState[]; alerts: SignAlert[] }>(
    'signals',
    async () => {
      const [scan, states] = await Promise.all([
        ctx.connector.get<SignalScan>('/api/v1/signals'),
        ctx.connector.get<{ states: SignalState[]; alerts?: SignAlert[] }>('/api/v1/signal-states'),
      ]);
      if (!scan.ok) return scan;
      return {
        ok: true,
        value: {
          scan: scan.value,
          states: states.ok ? states.value.states : [],
          // A connector from before the alerts feature sends no `alerts`: every sign then says nobody yet.
          alerts: states.ok ? (states.value.alerts ?? []) : [],
        },
      };
    },
  );
  if (data.state === 'loading') return <Loading lines={6} />;
  if (data.state === 'error')
    return <ConnectorError failure={data.failure} connectorUrl={ctx.connectorUrl} onRetry={data.reload} />;
  const { scan, states, alerts } = data.value;
  const byId = new Map(states.map((s) => [s.id, s]));
  const alertOf = new Map(alerts.map((a) => [a.signalId, a]));
  const open = openSigns(scan.signs, states);
  const handled = scan.signs.filter((s) => byId.has(idOf(s)));
  return (
    <Stack data-testid="signals">
      <div>
        <h2 style={{ margin: '0 0 4px', fontSize: 17 }}>{t('signs.title')}</h2>
        <Muted>{t('signs.window', { months: 3 })}</Muted>
      </div>
      {scan.signs.length === 0 && <Empty>{t('signs.empty')}</Empty>}
      {open.map((sign) => (
        <SignCard
          key={idOf(sign)}
          sign={sign}
          state={undefined}
          alert={alertOf.get(idOf(sign))}
          ctx={ctx}
          onChanged={data.reload}
        />
      ))}
      {handled.length > 0 && (
        <Button isBasic size="small" onClick={() => setShowHandled((v) => !v)} aria-expanded={showHandled}>
          {t('signs.showHandled', { n: handled.length })}
        </Button>
      )}
      {showHandled &&
        handled.map((sign) => (
          <SignCard
            key={idOf(sign)}
            sign={sign}
            state={byId.get(idOf(sign))}
            alert={alertOf.get(idOf(sign))}
            ctx={ctx}
            onChanged={data.reload}
          />
        ))}
    </Stack>
  );
}
