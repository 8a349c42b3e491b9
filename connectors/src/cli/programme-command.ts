import { join, resolve } from 'node:path';
import {
  LOCALES,
  addMonths,
  computeProgramme,
  parseProgrammeQuery,
  scanSignals,
  type Locale,
} from '../../../shared/src/index.ts';
import { ConfigError, environmentWithDotEnv, loadConfig } from '../config/config.ts';
import { storeSection } from '../config/store.ts';
import { zendeskSection } from '../config/zendesk.ts';
import {
  REPORT_FORMATS,
  programmeCsv,
  programmeJson,
  programmeTable,
  signalsJson,
  signalsTable,
  type ReportFormat,
} from '../programme/format-programme.ts';
import { ProgrammeStore, openProgrammeStore } from '../programme/programme-store.ts';
import { pullProgrammeData } from '../programme/pull-programme-data.ts';
import { ZendeskClient } from '../zendesk/client.ts';
import { loadStoreConfig } from './automation-config.ts';
import type { CliIo } from './cli-io.ts';
import { readCommandLine, wholeNumber } from './read-command-line.ts';

export const PROGRAMME_HELP = `Usage:
  boucle report programme [--from DATE] [--to DATE] [--by CUTS] [--bucket week|month] [--format table|json|csv]
  boucle report signals [--as-of DATE] [--recent-months N] [--baseline-months N] [--min-sample N]
                        [--by CUTS] [--format table|json] [--locale en|fr]
  boucle report pull [--full]  copy the survey answers, tickets and users from Zendesk into the local
                        database (--full: tickets and users from the start, not from the last cursor)

programme: NPS (promoters/passives/detractors), CSAT, CES, company effort, C:CER share and the complaint rate over
  a period (default: the 12 months before the month after the latest answer; --to is exclusive), crossed by
  CUTS, a comma list of tier, segment, product, region, channel, group, touchpoint, language.
  Every share has its sample and a 95 % interval. docs/programme.md explains each figure.
signals: warning signs of every cut against its own baseline (the recent months against the months before),
  with the test, the false-alarm control and the tickets behind each sign.

  --env-file FILE   read BOUCLE_DB_PATH (and, for pull, ZENDESK_*) from FILE (default .env)`;

export async function runProgramme(
  report: 'programme' | 'signals' | 'pull',
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
  if (!(REPORT_FORMATS as readonly string[]).includes(format) || (report === 'signals' && format === 'csv'))
    return fail(
      `--format takes ${report === 'signals' ? 'table or json' : 'table, json or csv'} (got "${values.format}").`,
    );
  const locale = (values.locale ?? 'en') as Locale;
  if (!(LOCALES as readonly string[]).includes(locale))
    return fail(`--locale takes en or fr (got "${values.locale}").`);

  if (report === 'pull') return pull(io, values['env-file'], values.full === true);
  const config = loadStoreConfig('report', io, values['env-file']);
  if (config === null) return 2;
  const store = openProgrammeStore(resolve(io.cwd, config.store.path));
  try {
    const programme = new ProgrammeStore(store.db);
    const latest = programme.latestAnswerAt();
    // Reports end with the month of the latest answer: a dataset or an export need not end today.
    const now = latest === null ? Date.now() : addMonths(latest, 1);
    if (report === 'programme') {
      const query = parseProgrammeQuery(
        {
          ...(values.from === undefined ? {} : { from: values.from }),
          ...(values.to === undefined ? {} : { to: values.to }),
          ...(values.by === undefined ? {} : { by: values.by }),
          ...(values.bucket === undefined ? {} : { bucket: values.bucket }),
        },
        now,
      );
      if (!query.success)
        return fail(query.issues.map((issue) => `--${issue.path}: ${issue.message}`).join('\n  '));
      const result = computeProgramme(programme.readFacts(query.data.fromMs, query.data.toMs), query.data);
      io.stdout.write(
        format === 'json'
          ? `${JSON.stringify(programmeJson(result), null, 2)}\n`
          : format === 'csv'
            ? programmeCsv(result)
            : programmeTable(result),
      );
      return 0;
    }
    let asOfMs = now;
    if (values['as-of'] !== undefined) {
      asOfMs = Date.parse(values['as-of']);
      if (!/^\d{4}-\d{2}(-\d{2})?/.test(values['as-of']) || Number.isNaN(asOfMs))
        return fail(`--as-of takes a date such as 2026-11-01 (got "${values['as-of']}").`);
    }
    const cuts = parseProgrammeQuery(values.by === undefined ? {} : { by: values.by }, now);
    if (!cuts.success) return fail(cuts.issues.map((issue) => `--by: ${issue.message}`).join('\n  '));
    let recentMonths: number;
    let baselineMonths: number;
    let minSample: number;
    try {
      recentMonths = wholeNumber('recent-months', values['recent-months'], 3, 1);
      baselineMonths = wholeNumber('baseline-months', values['baseline-months'], 6, 1);
      minSample = wholeNumber('min-sample', values['min-sample'], 30, 1);
    } catch (error) {
      return fail((error as Error).message);
    }
    const fromMs = addMonths(asOfMs, -(recentMonths + baselineMonths));
    const scan = scanSignals(programme.readFacts(fromMs, addMonths(asOfMs, 0)), {
      asOfMs,
      recentMonths,
      baselineMonths,
      minSample,
      ...(cuts.data.by.length === 0 ? {} : { dimensions: cuts.data.by }),
    });
    io.stdout.write(
      format === 'json' ? `${JSON.stringify(signalsJson(scan), null, 2)}\n` : signalsTable(scan, locale),
    );
    return 0;
  } finally {
    store.close();
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
  const store = openProgrammeStore(resolve(io.cwd, config.store.path));
  try {
    const result = await pullProgrammeData(client, store.db, new ProgrammeStore(store.db), { full });
    io.stdout.write(
      `Pulled ${result.answers} answers, ${result.tickets} tickets, ${result.users} users from Zendesk; ` +
        `${result.queuedAnswers} answers from the local queue.\n`,
    );
    for (const skipped of result.skipped.slice(0, 20))
      io.stderr.write(`  skipped answer ${skipped.id}: ${skipped.reason}\n`);
    if (result.skipped.length > 20) io.stderr.write(`  … and ${result.skipped.length - 20} more skipped\n`);
    return 0;
  } finally {
    store.close();
  }
}
