import { Tag } from '@zendeskgarden/react-tags';
import type { ReactNode } from 'react';
import { experimentReportSchema } from '../../../../shared/src/programme/experiment-report.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { Muted, Stack } from '../ui.tsx';

/** The experiment report (GET /api/v1/experiment, parsed with the shared schema): policy against holdout. */
export default function ExperimentReportView({ raw, fallback }: { raw: unknown; fallback: ReactNode }) {
  const i18n = useI18n();
  const { t } = i18n;
  const parsed = experimentReportSchema.safeParse(raw);
  if (!parsed.success) return <>{fallback}</>;
  const report = parsed.data;
  const whole = report.rows[0];
  const show = (measure: 'proportion' | 'mean', v: number | null) =>
    v === null ? '—' : measure === 'proportion' ? i18n.percent(v) : i18n.money(Math.round(v));
  return (
    <Stack $gap={12} data-testid="experiment-report">
      <Muted>
        {report.experiment.holdoutPercent === 0
          ? t('experiment.noHoldout')
          : t('experiment.holdout', { percent: report.experiment.holdoutPercent, id: report.experiment.id })}
      </Muted>
      {whole !== undefined && (
        <table style={{ borderCollapse: 'collapse', width: '100%' }}>
          <thead>
            <tr style={{ textAlign: 'left', color: '#68737d', fontSize: 12 }}>
              <th scope="col">{t('experiment.outcome')}</th>
              <th scope="col">{t('experiment.policy')}</th>
              <th scope="col">{t('experiment.holdoutArm')}</th>
              <th scope="col">{t('experiment.uplift')}</th>
              <th scope="col">{t('experiment.sample')}</th>
              <th scope="col">{t('experiment.verdict')}</th>
            </tr>
          </thead>
          <tbody>
            {whole.outcomes.map((o) => (
              <tr key={o.outcome} style={{ borderTop: '1px solid #e9ebed' }}>
                <td>{t(`outcome.${o.outcome}` as MessageKey)}</td>
                <td>
                  {show(o.measure, o.policy.value)} <Muted>n = {o.policy.n}</Muted>
                </td>
                <td>
                  {show(o.measure, o.holdout.value)} <Muted>n = {o.holdout.n}</Muted>
                </td>
                <td>
                  {o.uplift === null ? '—' : show(o.measure, o.uplift)}{' '}
                  {o.upliftInterval !== null && (
                    <Muted>
                      [{show(o.measure, o.upliftInterval.low)} ; {show(o.measure, o.upliftInterval.high)}]
                    </Muted>
                  )}
                </td>
                <td>
                  {o.samplePerArm ?? '—'}{' '}
                  <Muted>
                    {o.samplePerArm !== null && Math.min(o.policy.n, o.holdout.n) >= o.samplePerArm
                      ? t('experiment.sufficient')
                      : t('experiment.insufficient')}
                  </Muted>
                </td>
                <td>
                  <Tag
                    hue={
                      o.verdict === 'policy_better'
                        ? 'green'
                        : o.verdict === 'holdout_better'
                          ? 'red'
                          : 'grey'
                    }
                  >
                    {t(`verdict.${o.verdict}` as MessageKey)}
                  </Tag>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Stack>
  );
}
