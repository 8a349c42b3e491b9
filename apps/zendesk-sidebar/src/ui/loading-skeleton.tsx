import { Skeleton } from '@zendeskgarden/react-loaders';
import { useI18n } from './i18n-context.tsx';
import { Section, Stack } from './layout.tsx';

export function LoadingSkeleton() {
  const { t } = useI18n();
  return (
    <Stack aria-busy="true" aria-label={t('state.loading')} data-testid="loading">
      {[0, 1, 2].map((n) => (
        <Section key={n}>
          <Skeleton width="40%" height="12px" />
          <Skeleton width="90%" />
          <Skeleton width="75%" />
          <Skeleton width="60%" />
        </Section>
      ))}
    </Stack>
  );
}
