import { styled } from 'styled-components';
import { Tag } from '@zendeskgarden/react-tags';
import type { EffortView } from '../app/sidebar-model.ts';
import { formatDecimal } from '../i18n/i18n.ts';
import { useI18n } from './i18n-context.tsx';
import { getColor, Muted, PlainList, Row, Section, SectionTitle, theme } from './layout.tsx';

const CLASS_HUE = { customer_harder: 'red', balanced: 'grey', company_harder: 'green' } as const;

const Track = styled.div`
  position: relative;
  height: 8px;
  margin: ${theme.space.xs} 0;
  border-radius: 4px;
  background: linear-gradient(
    to right,
    ${getColor({ theme, hue: 'green', shade: 500 })},
    ${getColor({ theme, hue: 'grey', shade: 300 })} 50%,
    ${getColor({ theme, hue: 'red', shade: 600 })}
  );
`;

const Marker = styled.div<{ $at: number; $dashed: boolean }>`
  position: absolute;
  top: -4px;
  left: calc(${(p) => p.$at * 100}% - 2px);
  width: 4px;
  height: 16px;
  border-radius: 2px;
  background: ${getColor({ theme, variable: 'foreground.default' })};
  outline: ${(p) => (p.$dashed ? '1px dashed white' : 'none')};
`;

/** Position of a ratio on the gauge: log scale from 1/7 (left) to 7 (right), 1 in the middle. */
export function gaugePosition(ratio: number): number {
  const clamped = Math.min(7, Math.max(1 / 7, ratio));
  return (Math.log(clamped) / Math.log(7) + 1) / 2;
}

export function EffortGauge({ effort }: { effort: EffortView }) {
  const { t, locale } = useI18n();
  const fmt = (n: number | null) => {
    if (n === null) return '—';
    const rounded = Math.round(n * 10) / 10;
    return formatDecimal(locale, rounded, Number.isInteger(rounded) ? 0 : 1);
  };
  return (
    <Section aria-labelledby="boucle-effort" data-testid="effort-gauge">
      <SectionTitle id="boucle-effort">{t('effort.title')}</SectionTitle>
      <Row>
        {effort.effortClass ? (
          <Tag hue={CLASS_HUE[effort.effortClass]} size="small" data-testid="effort-class">
            <span>{t(`effort.class.${effort.effortClass}`)}</span>
          </Tag>
        ) : (
          <span>—</span>
        )}
        <Tag hue={effort.source === 'measured' ? 'blue' : 'yellow'} size="small" data-testid="effort-source">
          <span>{t(`effort.${effort.source}`)}</span>
        </Tag>
      </Row>
      {effort.ratio !== null ? (
        <Track role="meter" aria-valuemin={1 / 7} aria-valuemax={7} aria-valuenow={effort.ratio}>
          <Marker $at={gaugePosition(effort.ratio)} $dashed={effort.source !== 'measured'} />
        </Track>
      ) : null}
      <Muted>
        {t('effort.ratio', {
          ces: fmt(effort.customerEffort),
          ke: fmt(effort.companyEffort),
          ratio: effort.ratio === null ? '—' : formatDecimal(locale, effort.ratio, 2),
        })}
      </Muted>
      {effort.source !== 'measured' && effort.signals.length > 0 ? (
        <>
          <Muted as="h3">{t('effort.signals')}</Muted>
          <PlainList data-testid="effort-signals">
            {effort.signals.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </PlainList>
        </>
      ) : null}
    </Section>
  );
}
