import { Field, Label, Select } from '@zendeskgarden/react-forms';
import { useState } from 'react';
import type { ProgrammeFigures, ProgrammeReport, TicketList } from '../api-types.ts';
import { BarChart, ChartSlot, LineChart } from '../charts/lazy.tsx';
import type { ConsoleContext } from '../console-app.tsx';
import { useConnector } from '../load/use-connector.ts';
import { useI18n, type ConsoleI18n, type MessageKey } from '../i18n/i18n.tsx';
import { Card, CardTitle, ConnectorError, Empty, LinkButton, Loading, Muted, Row, Stack } from '../ui.tsx';
import { periodsEndingAt } from './period.ts';

const METRICS = ['csat', 'nps', 'ces', 'complaints'] as const;
type Metric = (typeof METRICS)[number];
const DIMENSIONS = ['region', 'product', 'segment', 'channel', 'group', 'tier'] as const;
type Dimension = (typeof DIMENSIONS)[number];
/** Below this many answers a figure is marked as a small sample (its interval is wide). */
export const SMALL_SAMPLE = 30;

interface Figure {
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
}

export function figureOf(f: ProgrammeFigures, metric: Metric): Figure {
  const of = (value: number | null, interval: { low: number; high: number } | null, n: number): Figure => ({
    value,
    low: interval?.low ?? null,
    high: interval?.high ?? null,
    n,
  });
  switch (metric) {
    case 'csat':
      return of(f.csat.rate, f.csat.interval, f.csat.n);
    case 'nps':
      return of(f.nps.score, f.nps.interval, f.nps.n);
    case 'ces':
      return of(f.ces.mean, f.ces.interval, f.ces.n);
    case 'complaints':
      return of(f.complaintRate.rate, f.complaintRate.interval, f.complaintRate.n);
  }
}

export interface SeriesPoint {
  readonly bucket: string;
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
}

/**
 * One cut's series by month on the programme's months (a month without answers in the cut is a gap, not a
 * zero), from `GET /api/v1/programme?by=<dimension>&bucket=month`.
 */
export function cutSeries(
  months: readonly string[],
  rows: ProgrammeReport['rows'],
  dimension: string,
  value: string,
  metric: Metric,
): SeriesPoint[] {
  const byMonth = new Map(
    rows.filter((r) => r.bucket !== null && r.cut[dimension] === value).map((r) => [r.bucket!, r.figures]),
  );
  return months.map((bucket) => {
    const figures = byMonth.get(bucket);
    const f = figures === undefined ? null : figureOf(figures, metric);
    return f === null || f.n === 0
      ? { bucket, value: null, low: null, high: null, n: 0 }
      : { bucket, value: f.value, low: f.low, high: f.high, n: f.n };
  });
}

const formatOf = (metric: Metric, i18n: ConsoleI18n) => (v: number) =>
  metric === 'nps' ? i18n.decimal(v, 0) : metric === 'ces' ? i18n.decimal(v, 1) : i18n.percent(v);
const domainOf = (metric: Metric): readonly [number, number] | undefined =>
  metric === 'nps' ? [-100, 100] : metric === 'ces' ? [1, 7] : metric === 'csat' ? [0, 1] : undefined;

function Drill({
  ctx,
  metric,
  dimension,
  value,
  period,
}: {
  ctx: ConsoleContext;
  metric: Metric;
  dimension: Dimension;
  value: string;
  period: { from: string; to: string };
}) {
  const { t } = useI18n();
  const tickets = useConnector<TicketList>(`drill:${metric}:${dimension}:${value}:${period.from}`, () =>
    ctx.connector.get<TicketList>('/api/v1/tickets', { dimension, value, metric, ...period }),
  );
  return (
    <Card aria-live="polite" data-testid="drill">
      <CardTitle>{t('explore.ticketsOf', { metric: t(`metric.${metric}` as MessageKey), value })}</CardTitle>
      {tickets.state === 'loading' && <Loading lines={1} />}
      {tickets.state === 'error' && (
        <ConnectorError failure={tickets.failure} connectorUrl={ctx.connectorUrl} onRetry={tickets.reload} />
      )}
      {tickets.state === 'ok' &&
        (tickets.value.count === 0 ? (
          <Empty>{t('explore.noTickets')}</Empty>
        ) : (
          <Stack $gap={8}>
            <Muted>
              {t('explore.ticketsCount', { shown: tickets.value.tickets.length, count: tickets.value.count })}
            </Muted>
            <Row $gap={10}>
              {tickets.value.tickets.map((id) => (
                <LinkButton key={id} data-ticket={id} onClick={() => ctx.openTicket(id)}>
                  #{id}
                </LinkButton>
              ))}
            </Row>
          </Stack>
        ))}
    </Card>
  );
}

export function ExploreScreen({ ctx }: { ctx: ConsoleContext }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [metric, setMetric] = useState<Metric>('csat');
  const [dimension, setDimension] = useState<Dimension>('region');
  const [selected, setSelected] = useState<string | null>(null);
  const data = useConnector<{
    trend: ProgrammeReport;
    cut: ProgrammeReport;
    cutTrend: ProgrammeReport;
    period: { from: string; to: string };
  }>(`explore:${dimension}`, async () => {
    const trend = await ctx.connector.get<ProgrammeReport>('/api/v1/programme', { bucket: 'month' });
    if (!trend.ok) return trend;
    const period = periodsEndingAt(trend.value.to).current;
    const [cut, cutTrend] = await Promise.all([
      ctx.connector.get<ProgrammeReport>('/api/v1/programme', { by: dimension, ...period }),
      // Every value of the dimension by month: the selected bar's own series, without another round trip.
      ctx.connector.get<ProgrammeReport>('/api/v1/programme', {
        by: dimension,
        bucket: 'month',
        from: trend.value.from,
        to: trend.value.to,
      }),
    ]);
    if (!cut.ok) return cut;
    if (!cutTrend.ok) return cutTrend;
    return { ok: true, value: { trend: trend.value, cut: cut.value, cutTrend: cutTrend.value, period } };
  });
  const metricName = t(`metric.${metric}` as MessageKey);
  const dimensionName = t(`dimension.${dimension}` as MessageKey).toLowerCase();
  const format = formatOf(metric, i18n);
  return (
    <Stack data-testid="explore">
      <Row $gap={24}>
        <Field>
          <Label>{t('explore.metric')}</Label>
          <Select
            value={metric}
            onChange={(e) => {
              setMetric(e.target.value as Metric);
              setSelected(null);
            }}
            data-testid="explore-metric"
          >
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`metric.${m}` as MessageKey)}
              </option>
            ))}
          </Select>
        </Field>
        <Field>
          <Label>{t('explore.by')}</Label>
          <Select
            value={dimension}
            onChange={(e) => {
              setDimension(e.target.value as Dimension);
              setSelected(null);
            }}
            data-testid="explore-dimension"
          >
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {t(`dimension.${d}` as MessageKey)}
              </option>
            ))}
          </Select>
        </Field>
      </Row>
      {data.state === 'loading' && <Loading lines={6} />}
      {data.state === 'error' && (
        <ConnectorError failure={data.failure} connectorUrl={ctx.connectorUrl} onRetry={data.reload} />
      )}
      {data.state === 'ok' && (
        <>
          <Card>
            <CardTitle>{t('explore.byCut', { metric: metricName, dimension: dimensionName })}</CardTitle>
            <Muted>{t('explore.drill')}</Muted>
            <ChartSlot height={240}>
              <BarChart
                width={820}
                title={t('explore.byCut', { metric: metricName, dimension: dimensionName })}
                format={format}
                smallLabel={t('explore.small')}
                selected={selected}
                onSelect={setSelected}
                {...(domainOf(metric) === undefined ? {} : { domain: domainOf(metric)! })}
                bars={data.value.cut.rows
                  .map((row) => ({ value: row.cut[dimension] ?? '', figure: figureOf(row.figures, metric) }))
                  .filter((r) => r.figure.n > 0)
                  .sort((a, b) => (b.figure.value ?? -Infinity) - (a.figure.value ?? -Infinity))
                  .map(({ value, figure }) => ({
                    key: value,
                    label: value,
                    value: figure.value,
                    low: figure.low,
                    high: figure.high,
                    small: figure.n < SMALL_SAMPLE,
                    note: `n = ${figure.n}`,
                    description: `${value}: ${figure.value === null ? '—' : format(figure.value)}, n = ${figure.n}${
                      figure.low === null || figure.high === null
                        ? ''
                        : `, ${t('explore.interval', { low: format(figure.low), high: format(figure.high) })}`
                    }${figure.n < SMALL_SAMPLE ? `, ${t('explore.small')}` : ''}`,
                  }))}
              />
            </ChartSlot>
          </Card>
          {selected !== null && (
            <Drill
              ctx={ctx}
              metric={metric}
              dimension={dimension}
              value={selected}
              period={data.value.period}
            />
          )}
          <Card data-testid="explore-over-time" data-cut={selected ?? ''}>
            <CardTitle>
              {selected === null
                ? t('explore.overTime', { metric: metricName })
                : t('explore.overTimeCut', { metric: metricName, value: selected })}
            </CardTitle>
            <Muted>{selected === null ? t('explore.overTimeAll') : t('explore.overTimeCutHint')}</Muted>
            <ChartSlot>
              <LineChart
                title={
                  selected === null
                    ? t('explore.overTime', { metric: metricName })
                    : t('explore.overTimeCut', { metric: metricName, value: selected })
                }
                format={format}
                {...(domainOf(metric) === undefined ? {} : { domain: domainOf(metric)! })}
                points={(selected === null
                  ? data.value.trend.rows.map((r) => ({
                      bucket: r.bucket ?? '',
                      ...figureOf(r.figures, metric),
                    }))
                  : cutSeries(
                      data.value.trend.rows.flatMap((r) => (r.bucket === null ? [] : [r.bucket])),
                      data.value.cutTrend.rows,
                      dimension,
                      selected,
                      metric,
                    )
                ).map((p) => ({
                  label: p.bucket === '' ? '' : i18n.month(p.bucket).replace(/ \d{4}$/, ''),
                  value: p.value,
                  low: p.low,
                  high: p.high,
                }))}
              />
            </ChartSlot>
          </Card>
        </>
      )}
    </Stack>
  );
}
