/** `boucle generate --report`: each realised figure of a generated world beside its DOMAIN.md §3 target. */
import { normalizeText } from '../../shared/src/index.ts';
import { toOutcomeIncident, type World } from './generate-world.ts';
import { expectedChurn } from './outcome-model.ts';
import { plantedReportRows } from './planted-report.ts';
import { SECTORS, SECTOR_PROFILES, TARGETS } from './sectors.ts';

export interface ReportRow {
  readonly figure: string;
  /** Text of the target, e.g. "30%" or "≥ 500". */
  readonly target: string;
  readonly realised: string;
  /** The realised value, as a number (shares in 0…1). */
  readonly value: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const EFFORT_WORDS = [
  'toujours pas',
  'encore',
  'rappel',
  'troisieme fois',
  'attente',
  'still waiting',
  'called again',
  'third time',
];

/** Computes the report rows of a world. */
export function computeReport(world: World): ReportRow[] {
  const rows: ReportRow[] = [];
  const count = (figure: string, min: number, value: number): void => {
    rows.push({
      figure,
      target: `≥ ${min.toLocaleString('en-US')}`,
      realised: value.toLocaleString('en-US'),
      value,
    });
  };
  count('accounts', 500, world.accounts.length);
  count('contacts', 500, world.contacts.length);
  count('opportunities', 1, world.opportunities.length);
  count('orders', 1, world.orders.length);
  count('tickets', 5000, world.tickets.length);
  const byStatus = (status: string) => world.tickets.filter((t) => t.status === status).length;
  const statuses = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
  rows.push({
    figure: '  statuses (new / open / pending / hold / solved / closed)',
    target: 'all six',
    realised: statuses.map((status) => byStatus(status).toLocaleString('en-US')).join(' / '),
    value: statuses.filter((status) => byStatus(status) > 0).length,
  });
  const live = world.tickets.filter(
    (t) => t.tags.includes('critical_incident') && ['new', 'open', 'pending', 'hold'].includes(t.status),
  ).length;
  rows.push({ figure: '  live critical incidents', target: '≥ 1', realised: String(live), value: live });
  count('survey answers', 8000, world.answers.length);
  const commented = world.answers.filter((a) => a.comment !== null);
  const fr = commented.filter((a) => a.lang === 'fr').length;
  rows.push({
    figure: 'survey comments in French',
    target: 'both languages',
    realised: `${pct(fr / Math.max(1, commented.length))} of ${commented.length.toLocaleString('en-US')}`,
    value: fr / Math.max(1, commented.length),
  });
  const withEffort = commented.filter((a) => {
    const text = normalizeText(a.comment ?? '');
    return EFFORT_WORDS.some((w) => text.includes(w));
  }).length;
  rows.push({
    figure: 'survey comments with effort phrases',
    target: '> 0',
    realised: withEffort.toLocaleString('en-US'),
    value: withEffort,
  });
  const types = new Set(world.incidents.map((i) => i.type));
  const severities = new Set(world.incidents.map((i) => i.severity));
  rows.push({
    figure: 'incidents (types / severities)',
    target: 'several',
    realised: `${world.incidents.length} (${types.size} / ${severities.size})`,
    value: world.incidents.length,
  });

  const incidentAccounts = new Set(world.incidents.map((i) => i.accountId));
  const rate = (accounts: readonly { id: string }[]): number =>
    accounts.filter((a) => incidentAccounts.has(a.id)).length / Math.max(1, accounts.length);
  rows.push({
    figure: 'customers with a critical incident, overall',
    target: pct(TARGETS.incidentRateOverall),
    realised: pct(rate(world.accounts)),
    value: rate(world.accounts),
  });
  for (const sector of SECTORS) {
    const accounts = world.accounts.filter((a) => a.sector === sector);
    rows.push({
      figure: `  ${sector} (${accounts.length} accounts)`,
      target: pct(SECTOR_PROFILES[sector].incidentRate),
      realised: pct(rate(accounts)),
      value: rate(accounts),
    });
  }
  const truths = world.incidents.map((i) => world.truth.incidents.get(i.id)!);
  const harderShare =
    truths.filter((t) => t.effortClass === 'customer_harder').length / Math.max(1, truths.length);
  rows.push({
    figure: 'incidents where the customer made more effort',
    target: `~${pct(TARGETS.customerHarderShare)}`,
    realised: pct(harderShare),
    value: harderShare,
  });
  const companyHarder = (sectors: readonly string[]): number => {
    const list = world.incidents.filter((i) =>
      sectors.includes(world.accounts.find((a) => a.id === i.accountId)!.sector),
    );
    return (
      list.filter((i) => world.truth.incidents.get(i.id)!.effortClass === 'company_harder').length /
      Math.max(1, list.length)
    );
  };
  const uti = companyHarder(['utilities', 'insurance']);
  rows.push({
    figure: '  company made more effort, utilities + insurance',
    target: '10%',
    realised: pct(uti),
    value: uti,
  });
  const ret = companyHarder(['retail']);
  rows.push({ figure: '  company made more effort, retail', target: '36%', realised: pct(ret), value: ret });

  const harderCustomers = new Set(
    world.incidents
      .filter((i) => world.truth.incidents.get(i.id)!.effortClass === 'customer_harder')
      .map((i) => i.accountId),
  );
  const expected = expectedChurn(
    world.truth.outcome,
    [...incidentAccounts].map((id) => ({
      frailty: world.truth.customers.get(id)!.frailty,
      incidents: world.incidents
        .filter((i) => i.accountId === id)
        .map((i) => toOutcomeIncident(i, world.truth.incidents.get(i.id)!)),
    })),
  );
  const churned = [...incidentAccounts].filter((id) => world.truth.customers.get(id)!.churned);
  const churnRate = churned.length / Math.max(1, incidentAccounts.size);
  rows.push({
    figure: 'churn after an incident (no intervention)',
    target: pct(TARGETS.churnAfterIncident),
    realised: `${pct(churnRate)} drawn (${churned.length} of ${incidentAccounts.size}); model ${pct(expected.overall)}`,
    value: churnRate,
  });
  const harderN = [...incidentAccounts].filter((id) => harderCustomers.has(id));
  const otherN = [...incidentAccounts].filter((id) => !harderCustomers.has(id));
  const churnOf = (ids: readonly string[]): number =>
    ids.filter((id) => world.truth.customers.get(id)!.churned).length / Math.max(1, ids.length);
  const ratio = churnOf(otherN) === 0 ? Number.POSITIVE_INFINITY : churnOf(harderN) / churnOf(otherN);
  rows.push({
    figure: 'churn, customer made more effort vs not',
    target: `${TARGETS.customerHarderFactor}×`,
    realised: `${ratio.toFixed(2)}× drawn (${pct(churnOf(harderN))} vs ${pct(churnOf(otherN))}); model ${expected.ratio.toFixed(2)}×`,
    value: ratio,
  });
  const surveyed = world.incidents.filter((i) => i.surveyed).length / Math.max(1, world.incidents.length);
  rows.push({
    figure: 'incidents without a survey answer',
    target: '~33%',
    realised: pct(1 - surveyed),
    value: 1 - surveyed,
  });
  rows.push(...plantedReportRows(world));
  return rows;
}

/** The report as an aligned text table. */
export function formatReport(world: World, rows: readonly ReportRow[]): string {
  const w1 = Math.max(6, ...rows.map((r) => r.figure.length));
  const w2 = Math.max(6, ...rows.map((r) => r.target.length));
  const lines = [
    `Generated world: seed ${world.seed}, now ${new Date(world.now).toISOString()}; outcome model base hazard ${world.truth.outcome.baseHazard.toFixed(4)}, effort factor ${world.truth.outcome.effortFactor.toFixed(2)}`,
    '',
    `${'figure'.padEnd(w1)}  ${'target'.padEnd(w2)}  realised`,
    `${'-'.repeat(w1)}  ${'-'.repeat(w2)}  --------`,
    ...rows.map((r) => `${r.figure.padEnd(w1)}  ${r.target.padEnd(w2)}  ${r.realised}`),
  ];
  return `${lines.join('\n')}\n`;
}
