import type { ArmEstimate, ExperimentReport, OutcomeComparison } from '../../../shared/src/index.ts';

const OUTCOME_LABELS: Readonly<Record<OutcomeComparison['outcome'], string>> = {
  retention: 'retention',
  repeat_contact: 'repeat contact',
  follow_up_score: 'follow-up score',
  value_per_intervention: '€ per intervention',
};

const VERDICT_LABELS: Readonly<Record<OutcomeComparison['verdict'], string>> = {
  policy_better: 'policy better',
  holdout_better: 'holdout better',
  no_difference_yet: 'no difference yet',
  no_difference: 'no difference',
  too_few: 'too few',
};

const figure = (value: number | null, measure: OutcomeComparison['measure']): string =>
  value === null ? '—' : measure === 'proportion' ? `${(value * 100).toFixed(1)} %` : `€ ${value.toFixed(0)}`;

const difference = (value: number | null, measure: OutcomeComparison['measure']): string =>
  value === null
    ? '—'
    : measure === 'proportion'
      ? `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} pts`
      : `${value >= 0 ? '+' : '−'}€ ${Math.abs(value).toFixed(0)}`;

const arm = (estimate: ArmEstimate, measure: OutcomeComparison['measure']): string =>
  `${figure(estimate.value, measure)} (n=${estimate.n})`;

/** The experiment report for a terminal: each cut, its arms, then one line per outcome. */
export function experimentTable(report: ExperimentReport): string {
  const lines = [
    `Experiment "${report.experiment.id}" (holdout ${report.experiment.holdoutPercent} % of eligible customers), ` +
      `decisions ${report.from.slice(0, 10)} → ${report.to.slice(0, 10)}, as of ${report.asOf.slice(0, 10)}.`,
    `One observation per customer (the first eligible decision); retention and € within ${report.retentionDays} days, ` +
      `repeat contact within ${report.repeatDays} days. Uplift = policy − holdout with its 95 % interval; ` +
      `"needed" = customers per arm to detect the minimum effect (α ${report.design.alpha} two-sided, power ${report.design.power * 100} %).`,
    '',
  ];
  for (const row of report.rows) {
    const cut = Object.entries(row.cut)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ');
    const { policy, holdout } = row.arms;
    lines.push(
      `${cut === '' ? 'all' : cut}: policy ${policy.customers} customers (${policy.incidents} incidents, ` +
        `${policy.interventions} interventions, € ${policy.cost.toFixed(0)} spent); holdout ${holdout.customers} customers ` +
        `(${holdout.incidents} incidents)`,
    );
    lines.push(
      `  ${'outcome'.padEnd(19)}${'policy'.padEnd(19)}${'holdout'.padEnd(19)}${'uplift [95 % interval]'.padEnd(34)}${'p'.padEnd(8)}${'needed'.padEnd(9)}verdict`,
    );
    for (const o of row.outcomes) {
      const interval =
        o.upliftInterval === null
          ? ''
          : ` [${difference(o.upliftInterval.low, o.measure)}, ${difference(o.upliftInterval.high, o.measure)}]`;
      lines.push(
        `  ${OUTCOME_LABELS[o.outcome].padEnd(19)}${arm(o.policy, o.measure).padEnd(19)}${arm(o.holdout, o.measure).padEnd(19)}` +
          `${`${difference(o.uplift, o.measure)}${interval}`.padEnd(34)}${(o.pValue === null ? '—' : o.pValue < 0.001 ? '<0.001' : o.pValue.toFixed(3)).padEnd(8)}` +
          `${(o.samplePerArm === null ? '—' : String(o.samplePerArm)).padEnd(9)}${VERDICT_LABELS[o.verdict]}` +
          (o.better === 'lower' ? ' (lower is better)' : ''),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const CSV_COLUMNS = [
  'outcome',
  'measure',
  'better',
  'policy_n',
  'policy_successes',
  'policy_value',
  'policy_low',
  'policy_high',
  'holdout_n',
  'holdout_successes',
  'holdout_value',
  'holdout_low',
  'holdout_high',
  'uplift',
  'uplift_low',
  'uplift_high',
  'p_value',
  'minimum_effect',
  'sample_per_arm',
  'verdict',
  'policy_customers',
  'policy_incidents',
  'policy_interventions',
  'policy_cost',
  'holdout_customers',
  'holdout_incidents',
] as const;

const cell = (value: string | number | null): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** One line per cut and outcome; the cut's dimensions first (`by`), numbers as computed. */
export function experimentCsv(report: ExperimentReport): string {
  const lines = [[...report.by, ...CSV_COLUMNS].join(',')];
  for (const row of report.rows) {
    const cut = report.by.map((dimension) => row.cut[dimension] ?? '(all)');
    for (const o of row.outcomes)
      lines.push(
        [
          ...cut,
          o.outcome,
          o.measure,
          o.better,
          o.policy.n,
          o.policy.successes,
          o.policy.value,
          o.policy.interval?.low ?? null,
          o.policy.interval?.high ?? null,
          o.holdout.n,
          o.holdout.successes,
          o.holdout.value,
          o.holdout.interval?.low ?? null,
          o.holdout.interval?.high ?? null,
          o.uplift,
          o.upliftInterval?.low ?? null,
          o.upliftInterval?.high ?? null,
          o.pValue,
          o.minimumEffect,
          o.samplePerArm,
          o.verdict,
          row.arms.policy.customers,
          row.arms.policy.incidents,
          row.arms.policy.interventions,
          row.arms.policy.cost,
          row.arms.holdout.customers,
          row.arms.holdout.incidents,
        ]
          .map(cell)
          .join(','),
      );
  }
  return `${lines.join('\n')}\n`;
}
