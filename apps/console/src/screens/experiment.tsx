import { lazy, Suspense } from 'react';
import type { ConsoleContext } from '../console-app.tsx';
import { useConnector } from '../load/use-connector.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Card, CardTitle, ConnectorError, Empty, Loading, Muted, Stack } from '../ui.tsx';

/** The tab's body parses the answer with the shared zod schema: a lazy chunk, so zod is not on the start path. */
const ExperimentReportView = lazy(() => import('./experiment-report-view.tsx'));

export function ExperimentScreen({ ctx }: { ctx: ConsoleContext }) {
  const { t } = useI18n();
  const data = useConnector<unknown>('experiment', () => ctx.connector.get<unknown>('/api/v1/experiment'));
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
