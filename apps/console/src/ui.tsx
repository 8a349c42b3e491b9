/** Small building blocks of the console's screens, in the Garden look. */
import { Button } from '@zendeskgarden/react-buttons';
import { Skeleton } from '@zendeskgarden/react-loaders';
import { Alert, Paragraph, Title } from '@zendeskgarden/react-notifications';
import type { ReactNode } from 'react';
import { styled } from 'styled-components';
import type { ConnectorFailure } from '../../common/src/connector/connector-client.ts';
import { useI18n } from './i18n/i18n.tsx';

export const Card = styled.section`
  background: #fff;
  border: 1px solid #d8dcde;
  border-radius: 8px;
  padding: 16px 20px;
  min-width: 0;
`;

export const CardTitle = styled.h2`
  margin: 0 0 12px;
  font-size: 15px;
  font-weight: 600;
  color: #2f3941;
`;

export const Grid = styled.div<{ $min?: number }>`
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(${(p) => p.$min ?? 220}px, 1fr));
  gap: 16px;
`;

export const Muted = styled.span`
  color: #68737d;
  font-size: 13px;
`;

export const Stack = styled.div<{ $gap?: number }>`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.$gap ?? 16}px;
`;

export const Row = styled.div<{ $gap?: number }>`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: ${(p) => p.$gap ?? 12}px;
`;

/** A link that opens a ticket in the agent workspace (ZAF routeTo), keyboard and screen-reader friendly. */
export const LinkButton = styled.button`
  background: none;
  border: none;
  padding: 0;
  color: #1f73b7;
  cursor: pointer;
  font: inherit;
  text-decoration: underline;
  &:focus-visible {
    outline: 2px solid #1f73b7;
    outline-offset: 2px;
  }
`;

export function Loading({ lines = 3 }: { lines?: number }) {
  const { t } = useI18n();
  return (
    <div aria-busy="true" aria-label={t('state.loading')} data-testid="console-loading">
      {Array.from({ length: lines }, (_, i) => (
        <Skeleton key={i} style={{ marginBottom: 8 }} width={`${90 - i * 15}%`} />
      ))}
    </div>
  );
}

/** What to say for each way the connector can fail: unreachable, wrong token, not set up, an error. */
export function ConnectorError({
  failure,
  connectorUrl,
  onRetry,
}: {
  failure: ConnectorFailure;
  connectorUrl: string;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  const [title, body] =
    failure.kind === 'unreachable'
      ? [t('error.unreachable.title'), t('error.unreachable.body', { url: connectorUrl || '—' })]
      : failure.kind === 'unauthorised'
        ? [t('error.unauthorised.title'), t('error.unauthorised.body')]
        : failure.kind === 'setup'
          ? [t('error.setup.title'), t('error.setup.body')]
          : [
              t('error.other.title'),
              t('error.other.body', { status: failure.status, message: failure.message }),
            ];
  return (
    <Alert type="error" role="alert" data-testid={`connector-error-${failure.kind}`}>
      <Title>{title}</Title>
      <Paragraph>{body}</Paragraph>
      <Button size="small" onClick={onRetry} style={{ marginTop: 8 }}>
        {t('state.retry')}
      </Button>
    </Alert>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Paragraph style={{ color: '#68737d', margin: '8px 0' }} data-testid="console-empty">
      {children}
    </Paragraph>
  );
}
