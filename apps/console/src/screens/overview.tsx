import { Button } from '@zendeskgarden/react-buttons';
import { Tag } from '@zendeskgarden/react-tags';
import { styled } from 'styled-components';
import type {
  FunnelReport,
  ProgrammeFigures,
  ProgrammeReport,
  SignalScan,
  SignalState,
} from '../api-types.ts';
import { ChartSlot, FunnelChart, LineChart } from '../charts/lazy.tsx';
import type { ConsoleContext } from '../console-app.tsx';
import { useConnector } from '../load/use-connector.ts';
import { useI18n, type ConsoleI18n, type MessageKey } from '../i18n/i18n.tsx';
import { Card, CardTitle, ConnectorError, Empty, Grid, Loading, Muted, Row, Stack } from '../ui.tsx';
import { periodsEndingAt } from './period.ts';
import { dimensionLabel, openSigns, signTitle } from './signals.tsx';

const Kpi = styled.div`
  .value {
    font-size: 28px;
    font-weight: 600;
    color: #2f3941;
  }
  .delta-bad {
    color: #cc3340;
  }
  .delta-good {
    color: #038153;
  }
`;

interface Overview {
  readonly trend: ProgrammeReport;
  readonly current: ProgrammeReport;
  readonly previous: ProgrammeReport;
  readonly signals: SignalScan;
  readonly states: readonly SignalState[];
  readonly funnel: FunnelReport;
}

/** The figures of one KPI: its value, its sample and which way is better. */
function kpis(f: ProgrammeFigures) {
  return [
    {
      key: 'overview.nps',
      value: f.nps.score,
      n: f.nps.n,
      better: 1,
      text: (i: ConsoleI18n, v: number) => i.decimal(v, 0),
    },
    {
      key: 'overview.csat',
      value: f.csat.rate,
      n: f.csat.n,
      better: 1,
      text: (i: ConsoleI18n, v: number) => i.percent(v),
    },
    {
      key: 'overview.ces',
      value: f.ces.mean,
      n: f.ces.n,
      better: -1,
      text: (i: ConsoleI18n, v: number) => `${i.decimal(v, 2)} / 7`,
    },
    {
      key: 'overview.ccer',
      value: f.effortRatio.customerHarder.rate,
      n: f.effortRatio.customerHarder.n,
      better: -1,
      text: (i: ConsoleI18n, v: number) => i.percent(v),
    },
  ] as const;
}

const FUNNEL_LABEL: Record<string, MessageKey> = {
  incidents: 'funnel.incidents',
  recommended: 'funnel.recommended',
  applied: 'funnel.applied',
  contacted_within_sla: 'funnel.contacted_within_sla',
  resolved: 'funnel.resolved',
  retained: 'funnel.retained',
};

export function FunnelCard({ funnel }: { funnel: FunnelReport }) {
  const i18n = useI18n();
  const { t } = i18n;
  const row = funnel.rows[0];
  return (
    <Card aria-labelledby="funnel-title" data-testid="funnel">
      <CardTitle id="funnel-title">{t('overview.funnel')}</CardTitle>
      {row === undefined || row.steps[0]!.count === 0 ? (
        <Empty>{t('funnel.empty')}</Empty>
      ) : (
        <>
          <ChartSlot height={170}>
            <FunnelChart
              title={t('overview.funnel')}
              steps={row.steps.map((s) => ({
                label: t(FUNNEL_LABEL[s.step] ?? 'funnel.incidents'),
                count: s.count,
                share: s.ofPrevious === null ? null : i18n.percent(s.ofPrevious.rate),
              }))}
            />
          </ChartSlot>
          <ul className="sr-only" style={{ position: 'absolute', left: -9999 }}>
            {row.steps.map((s) => (
              <li key={s.step} data-step={s.step} data-count={s.count}>
                {t(FUNNEL_LABEL[s.step] ?? 'funnel.incidents')}: {s.count}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

export function OverviewScreen({ ctx }: { ctx: ConsoleContext }) {
  const i18n = useI18n();
  const { t } = i18n;
  const data = useConnector<Overview>('overview', async () => {
    const c = ctx.connector;
    const [trend, signals, states, funnel] = await Promise.all([
      c.get<ProgrammeReport>('/api/v1/programme', { bucket: 'month' }),
      c.get<SignalScan>('/api/v1/signals'),
      c.get<{ states: SignalState[] }>('/api/v1/signal-states'),
      c.get<FunnelReport>('/api/v1/funnel'),
    ]);
    if (!trend.ok) return trend;
    if (!signals.ok) return signals;
    if (!funnel.ok) return funnel;
    const periods = periodsEndingAt(trend.value.to);
    const [current, previous] = await Promise.all([
      c.get<ProgrammeReport>('/api/v1/programme', periods.current),
      c.get<ProgrammeReport>('/api/v1/programme', periods.previous),
    ]);
    if (!current.ok) return current;
    if (!previous.ok) return previous;
    return {
      ok: true,
      value: {
        trend: trend.value,
        current: current.value,
        previous: previous.value,
        signals: signals.value,
        // An older connector without the console's routes: no states, every sign open.
        states: states.ok ? states.value.states : [],
        funnel: funnel.value,
      },
    };
  });
  if (data.state === 'loading') return <Loading lines={5} />;
  if (data.state === 'error')
    return <ConnectorError failure={data.failure} connectorUrl={ctx.connectorUrl} onRetry={data.reload} />;
  const { trend, current, previous, signals, states, funnel } = data.value;
  const open = openSigns(signals.signs, states);
  const lastDay = new Date(Date.parse(current.to) - 1).toISOString();
  const money = funnel.rows[0];
  const previousKpis = kpis(previous.total);
  return (
    <Stack data-testid="overview">
      <Muted>{t('overview.period', { from: i18n.date(current.from), to: i18n.date(lastDay) })}</Muted>
      <Card aria-labelledby="open-signs-title" data-testid="open-signs">
        <Row style={{ justifyContent: 'space-between' }}>
          <CardTitle id="open-signs-title">
            {t('overview.openSigns')} {open.length > 0 && <Tag hue="red">{open.length}</Tag>}
          </CardTitle>
          <Button size="small" isBasic onClick={() => ctx.go('signals')}>
            {t('overview.allSigns')}
          </Button>
        </Row>
        {open.length === 0 ? (
          <Empty>{t('overview.noSigns')}</Empty>
        ) : (
          <Stack $gap={6}>
            {open.map((sign) => (
              <Row key={`${sign.kind}.${sign.value}.${sign.phrase ?? ''}`} $gap={8} data-testid="open-sign">
                <strong>{signTitle(sign, t)}</strong>
                <span>
                  {dimensionLabel(sign, t)} ·{' '}
                  {t('signs.fromTo', {
                    from: i18n.percent(sign.baseline.rate),
                    to: i18n.percent(sign.recent.rate),
                  })}{' '}
                  · {t('signs.since', { month: i18n.month(sign.since) })}
                </span>
              </Row>
            ))}
          </Stack>
        )}
      </Card>
      <Grid $min={200}>
        {kpis(current.total).map((k, index) => {
          const before = previousKpis[index]!.value;
          const delta = k.value !== null && before !== null ? k.value - before : null;
          const worse = delta !== null && delta * k.better < 0;
          return (
            <Card key={k.key} data-testid={`kpi-${k.key.split('.')[1]}`}>
              <Kpi>
                <Muted>{t(k.key)}</Muted>
                <div className="value">{k.value === null ? '—' : k.text(i18n, k.value)}</div>
                <Muted>
                  <span className={delta === null || delta === 0 ? '' : worse ? 'delta-bad' : 'delta-good'}>
                    {delta === null ? '' : delta > 0 ? '▲ ' : delta < 0 ? '▼ ' : ''}
                    {t('overview.previous', { value: before === null ? '—' : k.text(i18n, before) })}
                  </span>{' '}
                  · {t('overview.n', { n: k.n })}
                </Muted>
              </Kpi>
            </Card>
          );
        })}
      </Grid>
      <Grid $min={420}>
        <Card aria-labelledby="money-title">
          <CardTitle id="money-title">{t('overview.money')}</CardTitle>
          <Row $gap={32}>
            <Kpi data-testid="at-risk">
              <Muted>{t('overview.atRisk')}</Muted>
              <div className="value">{i18n.money(money?.valueAtRisk ?? 0)}</div>
            </Kpi>
            <Kpi data-testid="recovered">
              <Muted>{t('overview.recovered')}</Muted>
              <div className="value">{i18n.money(money?.valueRecovered ?? 0)}</div>
            </Kpi>
          </Row>
          <CardTitle style={{ marginTop: 16 }}>{t('overview.trend')}</CardTitle>
          <ChartSlot>
            <LineChart
              title={t('overview.trend')}
              format={(v) => i18n.percent(v)}
              domain={[0, 1]}
              points={trend.rows.map((r) => ({
                label: r.bucket === null ? '' : i18n.month(r.bucket).replace(/ \d{4}$/, ''),
                value: r.figures.csat.rate,
                low: r.figures.csat.interval?.low ?? null,
                high: r.figures.csat.interval?.high ?? null,
              }))}
            />
          </ChartSlot>
        </Card>
        <FunnelCard funnel={funnel} />
      </Grid>
    </Stack>
  );
}
