import {
  describeSign,
  type FunnelRow,
  type Interval,
  type Locale,
  type ProgrammeFigures,
  type ProgrammeReport,
  type Proportion,
  type SignalScan,
} from '../../../shared/src/index.ts';

export const REPORT_FORMATS = ['table', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const iso = (ms: number): string => new Date(ms).toISOString();

/** The report as JSON: the figures exactly as computed, the period as ISO instants. */
export function programmeJson(report: ProgrammeReport): unknown {
  return {
    from: iso(report.fromMs),
    to: iso(report.toMs),
    by: report.by,
    bucket: report.bucket,
    total: report.total,
    rows: report.rows,
  };
}

export function signalsJson(scan: SignalScan): unknown {
  return {
    baseline: { from: iso(scan.baseline.fromMs), to: iso(scan.baseline.toMs) },
    recent: { from: iso(scan.recent.fromMs), to: iso(scan.recent.toMs) },
    tested: scan.tested,
    tooSmall: scan.tooSmall,
    keywordsTested: scan.keywordsTested,
    signs: scan.signs,
  };
}

const CSV_COLUMNS = [
  'answers',
  'nps_n',
  'promoters',
  'passives',
  'detractors',
  'nps',
  'nps_low',
  'nps_high',
  'csat_n',
  'csat_satisfied',
  'csat_rate',
  'csat_low',
  'csat_high',
  'ces_n',
  'ces_mean',
  'ces_low',
  'ces_high',
  'company_effort_n',
  'company_effort_mean',
  'ccer_pairs',
  'ccer_customer_harder',
  'ccer_customer_harder_rate',
  'ccer_customer_harder_low',
  'ccer_customer_harder_high',
  'tickets',
  'incidents',
  'complaint_rate',
  'complaint_low',
  'complaint_high',
] as const;

const csvCell = (value: string | number | null): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

function figureCells(f: ProgrammeFigures): (number | null)[] {
  return [
    f.answers,
    f.nps.n,
    f.nps.promoters,
    f.nps.passives,
    f.nps.detractors,
    f.nps.score,
    f.nps.interval?.low ?? null,
    f.nps.interval?.high ?? null,
    f.csat.n,
    f.csat.successes,
    f.csat.rate,
    f.csat.interval?.low ?? null,
    f.csat.interval?.high ?? null,
    f.ces.n,
    f.ces.mean,
    f.ces.interval?.low ?? null,
    f.ces.interval?.high ?? null,
    f.companyEffort.n,
    f.companyEffort.mean,
    f.effortRatio.pairs,
    f.effortRatio.customerHarder.successes,
    f.effortRatio.customerHarder.rate,
    f.effortRatio.customerHarder.interval?.low ?? null,
    f.effortRatio.customerHarder.interval?.high ?? null,
    f.tickets,
    f.incidents,
    f.complaintRate.rate,
    f.complaintRate.interval?.low ?? null,
    f.complaintRate.interval?.high ?? null,
  ];
}

/** RFC 4180 CSV, one row per cut (and bucket) then a "total" row; shares as 0…1, full precision. */
export function programmeCsv(report: ProgrammeReport): string {
  const header = [...report.by, 'bucket', ...CSV_COLUMNS];
  const lines = [header.join(',')];
  for (const row of report.rows)
    lines.push(
      [...report.by.map((d) => row.cut[d] ?? ''), row.bucket, ...figureCells(row.figures)]
        .map(csvCell)
        .join(','),
    );
  lines.push(
    [...report.by.map((_, i) => (i === 0 ? 'total' : '')), '', ...figureCells(report.total)]
      .map(csvCell)
      .join(','),
  );
  return `${lines.join('\r\n')}\r\n`;
}

const pct = (share: Proportion): string =>
  share.rate === null ? '—' : `${(share.rate * 100).toFixed(1)} % ${range(share.interval, 100)} n=${share.n}`;
const range = (interval: Interval | null, scale: number, digits = 0): string =>
  interval === null
    ? ''
    : `[${(interval.low * scale).toFixed(digits)}–${(interval.high * scale).toFixed(digits)}]`;

function tableCells(f: ProgrammeFigures): string[] {
  return [
    String(f.answers),
    f.nps.score === null
      ? '—'
      : `${f.nps.score.toFixed(0)} ${range(f.nps.interval, 1)} n=${f.nps.n} (${f.nps.promoters}/${f.nps.passives}/${f.nps.detractors})`,
    pct(f.csat),
    f.ces.mean === null ? '—' : `${f.ces.mean.toFixed(2)} ${range(f.ces.interval, 1, 2)} n=${f.ces.n}`,
    f.companyEffort.mean === null ? '—' : `${f.companyEffort.mean.toFixed(2)} n=${f.companyEffort.n}`,
    pct(f.effortRatio.customerHarder),
    f.tickets === 0 ? '—' : `${f.incidents}/${f.tickets} ${pct(f.complaintRate).split(' n=')[0]!}`,
  ];
}

const TABLE_HEADER = [
  'answers',
  'NPS [95 %] n (P/Pa/D)',
  'CSAT [95 %]',
  'CES [95 %]',
  'company effort',
  'C:CER customer harder',
  'incidents/tickets',
];

/** An aligned table for a terminal: every share with its interval and sample, never a bare percentage. */
export function programmeTable(report: ProgrammeReport): string {
  const header = [...report.by, ...(report.bucket === null ? [] : [report.bucket]), ...TABLE_HEADER];
  const rows = report.rows.map((row) => [
    ...report.by.map((d) => row.cut[d] ?? ''),
    ...(report.bucket === null ? [] : [row.bucket ?? '']),
    ...tableCells(row.figures),
  ]);
  const blanks = header.length - TABLE_HEADER.length;
  rows.push([
    ...Array.from({ length: blanks }, (_, i) => (i === 0 ? 'total' : '')),
    ...tableCells(report.total),
  ]);
  if (blanks === 0) rows.splice(0, rows.length - 1);
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [
    `Programme ${iso(report.fromMs).slice(0, 10)} → ${iso(report.toMs).slice(0, 10)} (to exclusive)` +
      (report.by.length === 0 ? '' : `, by ${report.by.join(' × ')}`),
    '',
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}

export function signalsTable(scan: SignalScan, locale: Locale): string {
  const month = (ms: number): string => iso(ms).slice(0, 7);
  const recent = `${month(scan.recent.fromMs)} … ${month(scan.recent.toMs - 1)}`;
  const baseline = `${month(scan.baseline.fromMs)} … ${month(scan.baseline.toMs - 1)}`;
  const fr = locale === 'fr';
  const head = fr
    ? `Signaux d'alerte : ${recent} comparé à ${baseline} ; ${scan.tested} tests de segments ` +
      `(${scan.tooSmall} trop petits pour être testés), ${scan.keywordsTested} expressions testées ; taux de fausses découvertes 5 %.`
    : `Warning signs: ${recent} against ${baseline}; ${scan.tested} cut tests ` +
      `(${scan.tooSmall} too small to test), ${scan.keywordsTested} phrases tested; false discovery rate 5 %.`;
  if (scan.signs.length === 0) return `${head}\n\n${fr ? "Aucun signal d'alerte." : 'No warning sign.'}\n`;
  const label = fr ? 'tickets : ' : 'tickets: ';
  const lines = scan.signs.map(
    (sign, i) =>
      `${String(i + 1).padStart(2)}. ${describeSign(sign, locale)}\n    ${label}${sign.tickets.join(', ')}` +
      (sign.ticketCount > sign.tickets.length ? ', …' : ''),
  );
  return `${head}\n\n${lines.join('\n')}\n`;
}

const STEP_LABELS = {
  incidents: 'incidents',
  recommended: 'recommended',
  applied: 'applied',
  contacted_within_sla: 'contacted in time',
  resolved: 'resolved',
  retained: 'retained',
} as const;

/** The funnel as a table: one line per cut, each step as count (share of the previous step) and € at stake. */
export function funnelTable(funnel: {
  asOfMs: number;
  retentionDays: number;
  rows: readonly FunnelRow[];
}): string {
  if (funnel.rows.length === 0) return 'No decision recorded yet.\n';
  const lines = [
    `Loop funnel as of ${iso(funnel.asOfMs).slice(0, 10)}; retained = revenue within ${funnel.retentionDays} days of the decision ` +
      '(decisions younger than that are not judged yet).',
    '',
  ];
  for (const row of funnel.rows) {
    const cut = Object.entries(row.cut)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ');
    lines.push(
      `${cut === '' ? 'all' : cut}: € at risk ${row.valueAtRisk.toFixed(0)}, recovered ${row.valueRecovered.toFixed(0)}`,
    );
    for (const step of row.steps)
      lines.push(
        `  ${STEP_LABELS[step.step].padEnd(18)} ${String(step.count).padStart(7)}` +
          (step.ofPrevious === null || step.ofPrevious.rate === null
            ? ''
            : `  ${(step.ofPrevious.rate * 100).toFixed(1)} % of previous ${range(step.ofPrevious.interval, 100)} n=${step.ofPrevious.n}`) +
          `  € ${step.value.toFixed(0)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
