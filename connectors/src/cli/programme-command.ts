import { join, resolve } from 'node:path';
import { LOCALES, type ExperimentSettings, type Locale } from '../../../shared/src/index.ts';
import { ConfigError, environmentWithDotEnv, loadConfig } from '../config/config.ts';
import { formatAlertOutcomes, runAlerts } from '../alerts/run-alerts.ts';
import { storeSection } from '../config/store.ts';
import { zendeskSection } from '../config/zendesk.ts';
import { queryExperiment } from '../experiment/experiment-service.ts';
import { experimentCsv, experimentTable } from '../experiment/format-experiment.ts';
import {
  REPORT_FORMATS,
  funnelTable,
  programmeCsv,
  programmeJson,
  programmeTable,
  signalsJson,
  signalsTable,
  type ReportFormat,
} from '../programme/format-programme.ts';
import { queryFunnel, queryProgramme, querySignals } from '../programme/programme-service.ts';
import { ALERTS_SCHEMA } from '../alerts/alerts-schema.ts';
import { CONSOLE_SCHEMA } from '../programme/console-schema.ts';
import { PROGRAMME_SCHEMAS, ProgrammeStore, openProgrammeSql } from '../programme/programme-store.ts';
import { pullProgrammeData } from '../programme/pull-programme-data.ts';
import { loadDecider } from '../serve/start-automation-service.ts';
import { ZendeskClient } from '../zendesk/client.ts';
import { loadStoreConfig } from './automation-config.ts';
import type { CliIo } from './cli-io.ts';
import { readCommandLine } from './read-command-line.ts';

export const PROGRAMME_HELP = `Usage:
  boucle report programme [--from DATE] [--to DATE] [--by CUTS] [--bucket week|month] [--format table|json|csv]
  boucle report signals [--as-of DATE] [--recent-months N] [--baseline-months N] [--min-sample N]
                        [--by CUTS] [--format table|json] [--locale en|fr] [--alert]
  boucle report funnel  [--by CUTS] [--retention-days N] [--format table|json]
  boucle report experiment [--from DATE] [--to DATE] [--by CUTS] [--retention-days N] [--repeat-days N]
                        [--experiment ID] [--format table|json|csv]
  boucle report pull [--full]  copy the survey answers, tickets and users from Zendesk into the local
                        database (--full: tickets and users from the start, not from the last cursor)

programme: NPS (promoters/passives/detractors), CSAT, CES, company effort, C:CER share and the complaint rate over
  a period (default: the 12 months before the month after the latest answer; --to is exclusive), crossed by
  CUTS, a comma list of tier, segment, product, region, channel, group, touchpoint, language.
  Every share has its sample and a 95 % interval. docs/programme.md explains each figure.
funnel: every recorded decision through recommended → applied → contacted within the deadline → resolved →
  retained (revenue in the CRM within N days, default 90), with the € at risk (the customer's 12-month revenue).
experiment: test and learn — Boucle's policy against its holdout (setting experiment.holdoutPercent, in
  BOUCLE_SETTINGS_FILE) on retention, repeat contact, follow-up score and € per intervention, with 95 % intervals
  and the customers each arm needs for a conclusion (default: the configured experiment, decisions of the 12
  months before next month).
signals: warning signs of every cut against its own baseline (the recent months against the months before),
  with the test, the false-alarm control and the tickets behind each sign. --alert also sends each sign, and
  each high-value detractor of the last days, to its owner as a Zendesk ticket (opened once, then updated;
  at most BOUCLE_ALERT_MAX_PER_OWNER_PER_DAY per owner and day; needs ZENDESK_*, SALESFORCE_* for the owners).

  --env-file FILE   read BOUCLE_DB_PATH (and, for pull, ZENDESK_*) from FILE (default .env)`;

export async function runProgramme(
  report: 'programme' | 'signals' | 'pull' | 'funnel' | 'experiment',
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const read = readCommandLine(
    'report',
    args,
    {
      'env-file': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      bucket: { type: 'string' },
      format: { type: 'string' },
      'as-of': { type: 'string' },
      'recent-months': { type: 'string' },
      'baseline-months': { type: 'string' },
      'min-sample': { type: 'string' },
      locale: { type: 'string' },
      full: { type: 'boolean' },
      'retention-days': { type: 'string' },
      'repeat-days': { type: 'string' },
      experiment: { type: 'string' },
      alert: { type: 'boolean' },
    },
    PROGRAMME_HELP,
    io,
  );
  if (read.line === undefined) return read.exitCode;
  const { values, positionals } = read.line;
  const fail = (message: string): number => {
    io.stderr.write(`boucle report ${report}: ${message}\n`);
    return 2;
  };
  if (positionals.length > 0) return fail(`unexpected argument "${positionals[0]!}".`);
  const format = (values.format ?? 'table') as ReportFormat;
  const noCsv = report === 'signals' || report === 'funnel';
  if (!(REPORT_FORMATS as readonly string[]).includes(format) || (noCsv && format === 'csv'))
    return fail(`--format takes ${noCsv ? 'table or json' : 'table, json or csv'} (got "${values.format}").`);
  const locale = (values.locale ?? 'en') as Locale;
  if (!(LOCALES as readonly string[]).includes(locale))
    return fail(`--locale takes en or fr (got "${values.locale}").`);

  if (report === 'pull') return pull(io, values['env-file'], values.full === true);
  const config = loadStoreConfig('report', io, values['env-file']);
  if (config === null) return 2;
  // With BOUCLE_DATABASE_URL the programme's data (and the alerts' tickets) are on PostgreSQL.
  const database = await openProgrammeDatabase(io, config.store.path, config.store.databaseUrl, [
    ...PROGRAMME_SCHEMAS,
    CONSOLE_SCHEMA,
    ALERTS_SCHEMA,
  ]);
  if (database === null) return 2;
  try {
    const programme = new ProgrammeStore(database.sql);
    const given = <K extends string>(key: K, value: string | undefined) =>
      value === undefined ? {} : ({ [key]: value } as Record<K, string>);
    if (report === 'programme') {
      const result = await queryProgramme(programme, {
        ...given('from', values.from),
        ...given('to', values.to),
        ...given('by', values.by),
        ...given('bucket', values.bucket),
      });
      if (!result.ok) return fail(result.issues.map((i) => `--${i.path}: ${i.message}`).join('\n  '));
      io.stdout.write(
        format === 'json'
          ? `${JSON.stringify(programmeJson(result.value), null, 2)}\n`
          : format === 'csv'
            ? programmeCsv(result.value)
            : programmeTable(result.value),
      );
      return 0;
    }
    if (report === 'experiment') {
      const settings = experimentSettings(io, values['env-file']);
      if (typeof settings === 'string') return fail(settings);
      const result = await queryExperiment(
        programme,
        database.sql,
        values.experiment === undefined ? settings : { ...settings, id: values.experiment },
        {
          ...given('from', values.from),
          ...given('to', values.to),
          ...given('by', values.by),
          ...given('retentionDays', values['retention-days']),
          ...given('repeatDays', values['repeat-days']),
        },
      );
      if (!result.ok) return fail(result.issues.map((i) => `--${i.path}: ${i.message}`).join('\n  '));
      io.stdout.write(
        format === 'json'
          ? `${JSON.stringify(result.value, null, 2)}\n`
          : format === 'csv'
            ? experimentCsv(result.value)
            : experimentTable(result.value),
      );
      return 0;
    }
    if (report === 'funnel') {
      const funnel = await queryFunnel(programme, {
        ...given('by', values.by),
        ...given('retentionDays', values['retention-days']),
      });
      if (!funnel.ok) return fail(funnel.issues.map((i) => `--${i.path}: ${i.message}`).join('\n  '));
      io.stdout.write(
        format === 'json'
          ? `${JSON.stringify({ asOf: new Date(funnel.value.asOfMs).toISOString(), retentionDays: funnel.value.retentionDays, rows: funnel.value.rows }, null, 2)}\n`
          : funnelTable(funnel.value),
      );
      return 0;
    }
    const result = await querySignals(programme, {
      ...given('asOf', values['as-of']),
      ...given('recentMonths', values['recent-months']),
      ...given('baselineMonths', values['baseline-months']),
      ...given('minSample', values['min-sample']),
      ...given('by', values.by),
    });
    if (!result.ok) return fail(result.issues.map((i) => `--${i.path}: ${i.message}`).join('\n  '));
    io.stdout.write(
      format === 'json'
        ? `${JSON.stringify(signalsJson(result.value), null, 2)}\n`
        : signalsTable(result.value, locale),
    );
    if (values.alert === true) {
      try {
        const outcomes = await runAlerts({
          env: environmentWithDotEnv(io.env, values['env-file'] ?? join(io.cwd, '.env')),
          sql: database.sql,
          scan: result.value,
          now: Date.now(),
        });
        (format === 'json' ? io.stderr : io.stdout).write(formatAlertOutcomes(outcomes));
      } catch (error) {
        if (error instanceof ConfigError) return fail(`--alert: ${error.message}`);
        throw error;
      }
    }
    return 0;
  } finally {
    await database.close();
  }
}

/** The programme's database (PostgreSQL's with BOUCLE_DATABASE_URL); null, and what to fix on stderr, when unusable. */
async function openProgrammeDatabase(
  io: CliIo,
  path: string,
  databaseUrl: string | undefined,
  schemas?: Parameters<typeof openProgrammeSql>[1],
): Promise<Awaited<ReturnType<typeof openProgrammeSql>> | null> {
  try {
    return await openProgrammeSql({ path: resolve(io.cwd, path), databaseUrl }, schemas);
  } catch (error) {
    if (databaseUrl === undefined) throw error;
    io.stderr.write(`boucle report: ${(error as Error).message}\n`);
    return null;
  }
}

/** The experiment as configured for `boucle serve`: BOUCLE_SETTINGS_FILE's `experiment` (or the defaults). */
function experimentSettings(io: CliIo, envFile: string | undefined): ExperimentSettings | string {
  const env = environmentWithDotEnv(io.env, envFile ?? join(io.cwd, '.env'));
  const file = env.BOUCLE_SETTINGS_FILE;
  try {
    return loadDecider(file === undefined || file === '' ? undefined : resolve(io.cwd, file)).settings
      .experiment;
  } catch (error) {
    return (error as Error).message;
  }
}

async function pull(io: CliIo, envFile: string | undefined, full: boolean): Promise<number> {
  let config;
  try {
    config = loadConfig(
      { store: storeSection, zendesk: zendeskSection },
      environmentWithDotEnv(io.env, envFile ?? join(io.cwd, '.env')),
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`boucle report pull: ${error.message}\nSee docs/automation.md for every key.\n`);
    return 2;
  }
  const client = new ZendeskClient({
    baseUrl: config.zendesk.url,
    auth: { kind: 'apiToken', email: config.zendesk.email, token: config.zendesk.apiToken },
    requestsPerMinute: config.zendesk.requestsPerMinute,
  });
  const database = await openProgrammeDatabase(io, config.store.path, config.store.databaseUrl);
  if (database === null) return 2;
  try {
    const result = await pullProgrammeData(client, new ProgrammeStore(database.sql), { full });
    io.stdout.write(
      `Pulled ${result.answers} answers, ${result.tickets} tickets, ${result.users} users from Zendesk; ` +
        `${result.queuedAnswers} answers from the local queue.\n`,
    );
    for (const skipped of result.skipped.slice(0, 20))
      io.stderr.write(`  skipped answer ${skipped.id}: ${skipped.reason}\n`);
    if (result.skipped.length > 20) io.stderr.write(`  … and ${result.skipped.length - 20} more skipped\n`);
    return 0;
  } finally {
    await database.close();
  }
}
