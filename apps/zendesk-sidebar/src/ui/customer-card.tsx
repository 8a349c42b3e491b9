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
  const money = (n: number | null | undefined) =>
    n === null || n === undefined ? '—' : formatMoney(locale, n);
  const count = (n: number | null | undefined) =>
    n === null || n === undefined ? '—' : String(Math.round(n));
  const since = crm?.customerSince ? tenure(crm.customerSince, nowMs) : null;
  const ofAccount = data.crmSource === 'organization';
  const own = ofAccount ? data.contactCrm : null;
  const ownSince = own?.customerSince ? tenure(own.customerSince, nowMs) : null;
  return (
    <Section aria-labelledby="boucle-customer">
      <SectionTitle id="boucle-customer">{t('customer.title')}</SectionTitle>
      <strong data-testid="customer-name">{data.user.name}</strong>
      {data.organization ? <Muted data-testid="customer-org">{data.organization.name}</Muted> : null}
      {crm ? (
        <>
          <Row>
            <Muted as="h3" data-testid="customer-figures-source">
              {ofAccount
                ? t('customer.figures.organization', { name: data.organization?.name ?? '' })
                : t('customer.figures.user')}
            </Muted>
            {crm.valueTier ? (
              <Tag hue={TIER_HUE[crm.valueTier] ?? 'grey'} size="small" data-testid="customer-tier">
                <span>{tierLabel}</span>
              </Tag>
            ) : null}
          </Row>
          <FactGrid data-testid="customer-figures">
            <dt>{t('customer.lifetimeRevenue')}</dt>
            <dd>{money(crm.lifetimeRevenue)}</dd>
            <dt>{t('customer.revenue12m')}</dt>
            <dd>{money(crm.revenue12m)}</dd>
            <dt>{t('customer.orders12m')}</dt>
            <dd>{count(crm.orders12m)}</dd>
            {since && crm.customerSince ? (
              <>
                <dt>{t('customer.tenure')}</dt>
                <dd title={t('customer.since', { date: formatDate(locale, crm.customerSince) })}>
                  {t('customer.tenureValue', since)}
                </dd>
              </>
            ) : null}
          </FactGrid>
          {ofAccount ? (
            <Muted data-testid="customer-figures-note">{t('customer.figures.organizationNote')}</Muted>
          ) : null}
          {own ? (
            <>
              <Muted as="h3">{t('customer.figures.contactOwn')}</Muted>
              <FactGrid data-testid="customer-contact-own">
                {own.lifetimeRevenue !== undefined ? (
                  <>
                    <dt>{t('customer.lifetimeRevenue')}</dt>
                    <dd>{money(own.lifetimeRevenue)}</dd>
                  </>
                ) : null}
                {own.revenue12m !== undefined ? (
                  <>
                    <dt>{t('customer.revenue12m')}</dt>
                    <dd>{money(own.revenue12m)}</dd>
                  </>
                ) : null}
                {own.orders12m !== undefined ? (
                  <>
                    <dt>{t('customer.orders12m')}</dt>
                    <dd>{count(own.orders12m)}</dd>
                  </>
                ) : null}
                {ownSince ? (
                  <>
                    <dt>{t('customer.tenure')}</dt>
                    <dd>{t('customer.tenureValue', ownSince)}</dd>
                  </>
                ) : null}
              </FactGrid>
            </>
          ) : null}
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
