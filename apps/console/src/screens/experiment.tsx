import { lazy, Suspense } from 'react';
import type { ConsoleContext } from '../console-app.tsx';
import { useConnector } from '../load/use-connector.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Card, CardTitle, ConnectorError, Empty, Loading, Muted, Stack } from '../ui.tsx';

/** The tab's body parses the answer with the shared zod schema: a lazy chunk, so zod is not on the start path. */
const ExperimentReportView = lazy(() => import('./experiment-report-view.tsx'));

/** The first day of the month 24 months before `now` (UTC): the window the tab reports. */
export function experimentFrom(now: number): string {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 24, 1)).toISOString().slice(0, 10);
}

export function ExperimentScreen({ ctx }: { ctx: ConsoleContext }) {
  const { t } = useI18n();
  // The experiment's whole run, not the API's default 12 months: a holdout needs every decision it has.
  const data = useConnector<unknown>('experiment', () =>
    ctx.connector.get<unknown>(`/api/v1/experiment?from=${experimentFrom(Date.now())}`),
  );
  return (
    <Stack data-testid="experiment">
      <Card>
        <CardTitle>{t('experiment.title')}</CardTitle>
        {data.state === 'loading' && <Loading lines={3} />}
        {data.state === 'error' &&
          (data.failure.kind === 'not_found' ? (
            <Empty>
              <span data-testid="experiment-unavailable">{t('experiment.unavailable')}</span>
            </Empty>
          ) : (
            <ConnectorError failure={data.failure} connectorUrl={ctx.connectorUrl} onRetry={data.reload} />
          ))}
        {data.state === 'ok' && (
          <Suspense fallback={<Loading lines={3} />}>
            <ExperimentReportView raw={data.value} fallback={<Muted>{t('experiment.unreadable')}</Muted>} />
          </Suspense>
        )}
      </Card>
    </Stack>
  );
}
