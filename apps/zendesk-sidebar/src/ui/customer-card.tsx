import { Tag } from '@zendeskgarden/react-tags';
import type { RequesterData } from '../requester/zendesk-records.ts';
import { formatDate, formatMoney } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { useI18n } from './i18n-context.tsx';
import { FactGrid, Muted, PlainList, Row, Section, SectionTitle } from './layout.tsx';

const TIER_HUE: Record<string, string> = {
  platinum: 'kale',
  gold: 'yellow',
  silver: 'grey',
  bronze: 'orange',
};

function tenure(sinceIso: string, nowMs: number): { years: number; months: number } | null {
  const since = Date.parse(sinceIso);
  if (Number.isNaN(since) || since > nowMs) return null;
  const months = Math.floor((nowMs - since) / (30.4375 * 86_400_000));
  return { years: Math.floor(months / 12), months: months % 12 };
}

export function CustomerCard({ data, nowMs }: { data: RequesterData; nowMs: number }) {
  const { t, locale } = useI18n();
  const crm = data.crm;
  const tier = crm?.valueTier ?? 'unknown';
  const tierLabel = tier in TIER_HUE ? t(`customer.tier.${tier}` as MessageKey) : tier;
  const money = (n: number | null) => (n === null ? '—' : formatMoney(locale, n));
  const since = crm?.customerSince ? tenure(crm.customerSince, nowMs) : null;
  return (
    <Section aria-labelledby="boucle-customer">
      <SectionTitle id="boucle-customer">{t('customer.title')}</SectionTitle>
      <Row>
        <strong data-testid="customer-name">{data.user.name}</strong>
        {crm?.valueTier ? (
          <Tag hue={TIER_HUE[crm.valueTier] ?? 'grey'} size="small" data-testid="customer-tier">
            <span>{tierLabel}</span>
          </Tag>
        ) : null}
      </Row>
      {data.organization ? <Muted data-testid="customer-org">{data.organization.name}</Muted> : null}
      {crm ? (
        <>
          <FactGrid>
            <dt>{t('customer.lifetimeRevenue')}</dt>
            <dd>{money(crm.lifetimeRevenue)}</dd>
            <dt>{t('customer.revenue12m')}</dt>
            <dd>{money(crm.revenue12m)}</dd>
            {since && crm.customerSince ? (
              <>
                <dt>{t('customer.tenure')}</dt>
                <dd title={t('customer.since', { date: formatDate(locale, crm.customerSince) })}>
                  {t('customer.tenureValue', since)}
                </dd>
              </>
            ) : null}
          </FactGrid>
          <Muted as="h3">{t('customer.transactions')}</Muted>
          {crm.recentTransactions.length === 0 ? (
            <Muted>{t('customer.noTransactions')}</Muted>
          ) : (
            <PlainList data-testid="transactions">
              {crm.recentTransactions.slice(0, 5).map((tx, index) => (
                <li key={index}>
                  <Row>
                    <span>
                      {t(tx.kind === 'order' ? 'transaction.order' : 'transaction.opportunity')} {tx.label}
                      {tx.stage ? ` · ${tx.stage}` : ''}
                    </span>
                    <span>
                      {tx.amount === null ? '' : money(tx.amount)}
                      {tx.date ? ` · ${formatDate(locale, tx.date)}` : ''}
                    </span>
                  </Row>
                </li>
              ))}
            </PlainList>
          )}
        </>
      ) : (
        <Muted data-testid="customer-empty">{t('customer.noCrm')}</Muted>
      )}
    </Section>
  );
}
