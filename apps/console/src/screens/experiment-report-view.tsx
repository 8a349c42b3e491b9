import { Tag } from '@zendeskgarden/react-tags';
import type { ReactNode } from 'react';
import { experimentReportSchema } from '../../../../shared/src/programme/experiment-report.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { Muted, Stack } from '../ui.tsx';

/** The experiment report (GET /api/v1/experiment, parsed with the shared schema): policy against holdout. */
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

export default function ExperimentReportView({ raw, fallback }: { raw: unknown; fallback: ReactNode }) {
  const i18n = useI18n();
  const { t } = i18n;
  const parsed = experimentReportSchema.safeParse(raw);
  if (!parsed.success) return <>{fallback}</>;
  const report = parsed.data;
  const whole = report.rows[0];
  const show = (measure: 'proportion' | 'mean', v: number | null) =>
    v === null ? '—' : measure === 'proportion' ? i18n.percent(v) : i18n.money(Math.round(v));
  const count = (n: number) => n.toLocaleString(i18n.locale === 'fr' ? 'fr-FR' : 'en-GB');
  // An uplift is a difference: signed, in percentage points for a share (a holdout at 68 % and a policy at 85 %
  // is "+17 pts", not "17 %").
  const signed = (measure: 'proportion' | 'mean', v: number) => {
    const sign = v > 0 ? '+' : v < 0 ? '−' : '';
    return measure === 'proportion'
      ? `${sign}${Math.abs(Math.round(v * 100))} ${t('experiment.points')}`
      : `${sign}${i18n.money(Math.abs(Math.round(v)))}`;
  };
  return (
    <Stack $gap={12} data-testid="experiment-report">
      <Muted>
        {report.experiment.holdoutPercent === 0
          ? t('experiment.noHoldout')
          : t('experiment.holdout', { percent: report.experiment.holdoutPercent, id: report.experiment.id })}
      </Muted>
      {whole !== undefined && (
        <Muted data-testid="experiment-window">
          {t('experiment.window', {
            from: i18n.month(report.from.slice(0, 7)),
            to: i18n.month(addDays(report.to, -1).slice(0, 7)),
            policy: whole.arms.policy.customers,
            holdout: whole.arms.holdout.customers,
          })}
        </Muted>
      )}
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
              <tr
                key={o.outcome}
                data-testid="experiment-outcome"
                data-outcome={o.outcome}
                data-verdict={o.verdict}
                data-uplift={o.uplift ?? ''}
                style={{ borderTop: '1px solid #e9ebed' }}
              >
                <td>
                  {t(`outcome.${o.outcome}` as MessageKey)}
                  <div>
                    <Muted>
                      {t(o.better === 'lower' ? 'experiment.lowerBetter' : 'experiment.higherBetter')}
                    </Muted>
                  </div>
                </td>
                <td>
                  {show(o.measure, o.policy.value)} <Muted>n = {o.policy.n}</Muted>
                </td>
                <td>
                  {show(o.measure, o.holdout.value)} <Muted>n = {o.holdout.n}</Muted>
                </td>
                <td>
                  {o.uplift === null ? '—' : signed(o.measure, o.uplift)}{' '}
                  {o.upliftInterval !== null && (
                    <Muted>
                      {t('experiment.interval', {
                        low: signed(o.measure, o.upliftInterval.low),
                        high: signed(o.measure, o.upliftInterval.high),
                      })}
                    </Muted>
                  )}
                </td>
                <td>
                  {o.verdict === 'policy_better' || o.verdict === 'holdout_better' ? (
                    // A difference already beyond chance needs no more: the sample per arm is the one needed
                    // to detect the smallest effect worth knowing, not this one.
                    <Muted>{t('experiment.clear')}</Muted>
                  ) : o.samplePerArm === null ? (
                    '—'
                  ) : (
                    <>
                      {t('experiment.needHave', {
                        need: count(o.samplePerArm),
                        effect: signed(o.measure, o.minimumEffect).replace(/^\+/, ''),
                        have: count(Math.min(o.policy.n, o.holdout.n)),
                      })}{' '}
                      <Muted>
                        {Math.min(o.policy.n, o.holdout.n) >= o.samplePerArm
                          ? t('experiment.sufficient')
                          : t('experiment.insufficient')}
                      </Muted>
                    </>
                  )}
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
