import { Alert } from '@zendeskgarden/react-notifications';
import type { SettingsProblem } from '../app/sidebar-model.ts';
import { useI18n } from './i18n-context.tsx';

export function SettingsProblems({ problems }: { problems: readonly SettingsProblem[] }) {
  const { t } = useI18n();
  return (
    <Alert type="error" role="alert" data-testid="settings-error">
      <Alert.Title>{t('settings.title')}</Alert.Title>
      <p style={{ margin: '4px 0' }}>{t('settings.intro')}</p>
      <ul style={{ margin: 0, paddingLeft: 16 }}>
        {problems.map((p, i) => (
          <li key={i} data-testid="settings-problem">
            <code>{p.path}</code>: {p.message}
          </li>
        ))}
      </ul>
      <p style={{ margin: '4px 0 0' }}>{t('settings.degraded')}</p>
    </Alert>
  );
}
