import { computeLoopReport, formatLoopReport } from '../loop/compute-loop-report.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { openSql, type OpenedSql } from '../store/open-sql.ts';
import { loadStoreConfig } from './automation-config.ts';
import type { CliIo } from './cli-io.ts';
import { PROGRAMME_HELP, runProgramme } from './programme-command.ts';
import { readCommandLine } from './read-command-line.ts';

const HELP = `Usage: boucle report loop [--weeks N] [--json] [--env-file FILE]

Per week of decision: interventions decided, loops closed, closure rate, median hours to first contact,
share of first contacts within the callback deadline, and recovery rate from follow-up surveys.

${PROGRAMME_HELP}

Usage: boucle report writeback [--json]
What Boucle wrote back to Salesforce: records by object and status, dead letters, pause (docs/salesforce-writeback.md).`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const [report, ...rest] = args;
  if (report === 'writeback') return (await import('./writeback-command.ts')).runReport(rest, io);
  if (
    report === 'programme' ||
    report === 'signals' ||
    report === 'pull' ||
    report === 'funnel' ||
    report === 'experiment'
  )
    return runProgramme(report, rest, io);
  return runSync(args, io);
}

async function runSync(args: readonly string[], io: CliIo): Promise<number> {
  const read = readCommandLine(
    'report',
    args,
    {
      'env-file': { type: 'string' },
      weeks: { type: 'string' },
      json: { type: 'boolean' },
    },
    HELP,
    io,
  );
  if (read.line === undefined) return read.exitCode;
  const { values, positionals } = read.line;
  if (positionals[0] !== 'loop' || positionals.length > 1) {
    io.stderr.write(
      `boucle report: the reports are loop, programme, signals, funnel, experiment, writeback (and pull).\n\n${HELP}\n`,
    );
    return 2;
  }
  const weeks = values.weeks === undefined ? 12 : Number(values.weeks);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 520) {
    io.stderr.write(`boucle report: --weeks takes a whole number from 1 to 520 (got "${values.weeks}").\n`);
    return 2;
  }
  const config = loadStoreConfig('report', io, values['env-file']);
  if (config === null) return 2;
  // The ledger: in the SQLite file, or on PostgreSQL with BOUCLE_DATABASE_URL.
  let store: OpenedSql;
  try {
    store = await openSql(config.store, io.cwd, [AUTOMATION_SCHEMA], { max: 1 });
  } catch (error) {
    if (config.store.databaseUrl === undefined) throw error;
    io.stderr.write(`boucle report: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const report = computeLoopReport(await new InterventionLedger(store.sql).all()).slice(-weeks);
    io.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatLoopReport(report));
    return 0;
  } finally {
    await store.close();
  }
}
