/**
 * `boucle sync --writeback [--backfill] [--dry-run]` sends the write-back outbox to Salesforce;
 * `boucle report writeback` lists what was written back. See docs/salesforce-writeback.md.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, environmentWithDotEnv, loadConfig } from '../config/config.ts';
import { salesforceSection, type SalesforceSettings } from '../config/salesforce.ts';
import { storeSection } from '../config/store.ts';
import { writebackSection, type WritebackSettings } from '../config/writeback.ts';
import { zendeskSection } from '../config/zendesk.ts';
import { ZendeskClient } from '../zendesk/index.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import { SalesforceClient } from '../salesforce/client.ts';
import { SalesforceAuthError } from '../salesforce/errors.ts';
import { openSql, type OpenedSql } from '../store/open-sql.ts';
import { Writeback, WritebackConfigError, type FlushResult } from '../writeback/engine.ts';
import { WritebackOutbox, type OutboxRow } from '../writeback/outbox.ts';
import { WRITEBACK_SCHEMA } from '../writeback/schema.ts';
import type { CliIo } from './cli-io.ts';

const SYNC_HELP = `Usage: boucle sync --writeback [--backfill] [--dry-run] [--retry-dead] [--env-file FILE]

Sends Boucle's results to Salesforce: survey answers (Boucle_Feedback__c), decisions and outcomes
(Boucle_Intervention__c), Account roll-ups and Tasks for account owners, by upsert on an external id.

  --backfill     use Bulk API 2.0 ingest jobs (history; otherwise sObject Collections, 200 per call)
  --dry-run      link and compute, print what would be written (one JSON line per record), write nothing
  --retry-dead   put the dead letters back in the outbox first (once their cause is fixed)
  --env-file     read this file instead of ./.env

Configuration: WRITEBACK_* and SALESFORCE_* (see .env.example and docs/salesforce-writeback.md).
Exit codes: 0 done, 2 bad configuration, 3 authentication refused, 4 paused (REQUEST_LIMIT_EXCEEDED) or budget
floor reached, 1 other failure.`;

const REPORT_HELP = `Usage: boucle report writeback [--limit N] [--json] [--env-file FILE]

The records Boucle wrote back into Salesforce (newest first), what is pending, and the dead letters.`;

const EXIT = { ok: 0, failure: 1, config: 2, auth: 3, budget: 4 } as const;

function envOf(io: CliIo, envFile: string | undefined) {
  return environmentWithDotEnv(io.env, envFile ?? join(io.cwd, '.env'));
}

/** The write-back settings of `boucle serve`: undefined when WRITEBACK_ENABLED is off, null on a bad key. */
export function loadServeWriteback(
  io: CliIo,
  envFile: string | undefined,
  zendeskUrl: string,
): { settings: WritebackSettings; salesforce: SalesforceSettings } | undefined | null {
  try {
    const env = envOf(io, envFile);
    const { writeback } = loadConfig({ writeback: writebackSection }, env);
    if (!writeback.enabled) return undefined;
    const { salesforce } = loadConfig({ salesforce: salesforceSection }, env);
    return { settings: withTicketUrl(writeback, zendeskUrl), salesforce };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`boucle serve: ${error.message}\nSee .env.example and docs/salesforce-writeback.md.\n`);
    return null;
  }
}

function withTicketUrl(settings: WritebackSettings, zendeskUrl: string | undefined): WritebackSettings {
  if (settings.ticketUrl !== undefined || zendeskUrl === undefined) return settings;
  return { ...settings, ticketUrl: `${zendeskUrl.replace(/\/+$/, '')}/agent/tickets/{id}` };
}

export async function runSync(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        writeback: { type: 'boolean' },
        backfill: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'retry-dead': { type: 'boolean' },
        'env-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr.write(`boucle sync --writeback: ${(error as Error).message}\n\n${SYNC_HELP}\n`);
    return EXIT.config;
  }
  if (values.help === true) {
    io.stdout.write(`${SYNC_HELP}\n`);
    return EXIT.ok;
  }
  let config;
  const env = envOf(io, values['env-file']);
  try {
    config = loadConfig(
      { salesforce: salesforceSection, writeback: writebackSection, store: storeSection },
      env,
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(
      `boucle sync --writeback: ${error.message}\nSee .env.example and docs/salesforce-writeback.md.\n`,
    );
    return EXIT.config;
  }
  if (!config.writeback.enabled) {
    io.stderr.write(
      'boucle sync --writeback: WRITEBACK_ENABLED is off; set WRITEBACK_ENABLED=true to write back.\n',
    );
    return EXIT.config;
  }
  const settings = withTicketUrl(config.writeback, env.ZENDESK_URL);
  // Decisions recorded before write-back was on have no captured email: Zendesk knows their customers.
  let emailsOfUsers: ((ids: readonly number[]) => Promise<ReadonlyMap<number, string>>) | undefined;
  if (env.ZENDESK_URL !== undefined && env.ZENDESK_API_TOKEN !== undefined) {
    try {
      const { zendesk } = loadConfig({ zendesk: zendeskSection }, env);
      const client = new ZendeskClient({
        baseUrl: zendesk.url,
        auth: { kind: 'apiToken', email: zendesk.email, token: zendesk.apiToken },
        requestsPerMinute: zendesk.requestsPerMinute,
      });
      emailsOfUsers = async (ids) => {
        const users = await client.showManyUsers({ ids });
        return new Map(
          users.filter((u) => typeof u.email === 'string').map((u) => [u.id, u.email as string]),
        );
      };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.stderr.write(`boucle sync --writeback: ${error.message}\n`);
      return EXIT.config;
    }
  }
  // The intervention ledger and the write-back's outbox: in the SQLite file, or on PostgreSQL with
  // BOUCLE_DATABASE_URL (docs/scaling.md).
  let store: OpenedSql;
  try {
    store = await openSql(config.store, io.cwd, [AUTOMATION_SCHEMA, WRITEBACK_SCHEMA], { max: 2 });
  } catch (error) {
    io.stderr.write(`boucle sync --writeback: ${(error as Error).message}\n`);
    return EXIT.config;
  }
  const line = (event: string, data: Record<string, unknown>) =>
    io.stdout.write(`${JSON.stringify({ event, at: new Date().toISOString(), ...data })}\n`);
  try {
    const writeback = new Writeback(store.sql, settings, new InterventionLedger(store.sql));
    if (values['retry-dead'] === true)
      line('writeback.retry_dead', { records: await writeback.outbox.retryDeadLetters() });
    const salesforce = new SalesforceClient({
      settings: config.salesforce,
      onRetry: (what, attempt, error) =>
        line('writeback.retry', { what, attempt, error: (error as Error).message }),
    });
    const started = performance.now();
    const result = await writeback.flush(salesforce, {
      mode: values.backfill === true ? 'bulk' : 'collections',
      dryRun: values['dry-run'] === true,
      floor: config.salesforce.minRemainingRequests,
      onEvent: line,
      ...(emailsOfUsers === undefined ? {} : { emailsOfUsers }),
    });
    for (const plan of result.planned ?? []) line('writeback.plan', { ...plan });
    const seconds = (performance.now() - started) / 1000;
    line('writeback.done', { ...summary(result), seconds: Math.round(seconds * 1000) / 1000 });
    if (result.outcome === 'paused' || result.outcome === 'budget') return EXIT.budget;
    return EXIT.ok;
  } catch (error) {
    if (error instanceof WritebackConfigError) {
      io.stderr.write(`boucle sync --writeback: ${error.message}\n`);
      return EXIT.config;
    }
    if (error instanceof SalesforceAuthError) {
      io.stderr.write(`boucle sync --writeback: ${error.message}\n`);
      return EXIT.auth;
    }
    io.stderr.write(
      `boucle sync --writeback: ${(error as Error).message} (nothing is lost: the outbox keeps every record)\n`,
    );
    return EXIT.failure;
  } finally {
    await store.close();
  }
}

function summary(result: FlushResult): Record<string, unknown> {
  const { planned: _planned, ...rest } = result;
  return rest;
}

export async function runReport(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        limit: { type: 'string' },
        json: { type: 'boolean' },
        'env-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr.write(`boucle report writeback: ${(error as Error).message}\n\n${REPORT_HELP}\n`);
    return EXIT.config;
  }
  if (values.help === true) {
    io.stdout.write(`${REPORT_HELP}\n`);
    return EXIT.ok;
  }
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    io.stderr.write(
      `boucle report writeback: --limit takes a whole number from 1 to 100000 (got "${values.limit}").\n`,
    );
    return EXIT.config;
  }
  let config;
  try {
    config = loadConfig({ store: storeSection }, envOf(io, values['env-file']));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`boucle report writeback: ${error.message}\n`);
    return EXIT.config;
  }
  let store: OpenedSql;
  try {
    store = await openSql(config.store, io.cwd, [WRITEBACK_SCHEMA], { max: 1 });
  } catch (error) {
    io.stderr.write(`boucle report writeback: ${(error as Error).message}\n`);
    return EXIT.config;
  }
  try {
    const report = writebackReport(await new WritebackOutbox(store.sql).all(), limit);
    io.stdout.write(
      values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatWritebackReport(report),
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export interface WritebackReport {
  readonly totals: Readonly<Record<string, { written: number; pending: number; dead: number }>>;
  readonly recent: readonly {
    readonly object: string;
    readonly externalId: string;
    readonly salesforceId: string | null;
    readonly accountId: string | null;
    readonly writtenAt: string | null;
    readonly summary: string;
  }[];
  readonly deadLetters: readonly {
    readonly object: string;
    readonly externalId: string;
    readonly error: string | null;
  }[];
}

function describeRow(row: OutboxRow): string {
  const p = row.payload;
  switch (row.kind) {
    case 'feedback':
      return `${String(p.Kind__c).toUpperCase()} ${String(p.Score__c)} (${String(p.Category__c ?? '—')})`;
    case 'intervention':
      return `${String(p.Action__c)}, ${String(p.Status__c)}${p.Outcome__c === null ? '' : `, ${String(p.Outcome__c)}`}, ticket #${String(p.Zendesk_Ticket_Id__c)}`;
    case 'task':
      return `${String(p.Subject)} — ${String(p.Status)}`;
    case 'rollup':
      return `last NPS ${String(p.Boucle_Last_NPS__c ?? '—')}, ${String(p.Boucle_Open_Incidents__c)} open, ${String(p.Boucle_Value_At_Risk__c)} € at risk, ${String(p.Boucle_Recovered_12m__c)} € recovered (12 months)`;
  }
}

/** Totals per object, the latest records written and the dead letters. */
export function writebackReport(rows: readonly OutboxRow[], limit: number): WritebackReport {
  const totals: Record<string, { written: number; pending: number; dead: number }> = {};
  for (const row of rows) {
    const t = (totals[row.object] ??= { written: 0, pending: 0, dead: 0 });
    if (row.dead) t.dead++;
    else if (row.writtenHash === row.hash) t.written++;
    else t.pending++;
  }
  return {
    totals,
    recent: rows
      .filter((r) => r.writtenAt !== null)
      .slice(0, limit)
      .map((r) => ({
        object: r.object,
        externalId: r.externalId,
        salesforceId: r.sfId,
        accountId: r.accountId,
        writtenAt: r.writtenAt?.toISOString() ?? null,
        summary: describeRow(r),
      })),
    deadLetters: rows
      .filter((r) => r.dead)
      .map((r) => ({ object: r.object, externalId: r.externalId, error: r.lastError })),
  };
}

export function formatWritebackReport(report: WritebackReport): string {
  const lines = ['Written back to Salesforce', ''];
  const objects = Object.entries(report.totals);
  if (objects.length === 0)
    lines.push('  nothing yet (WRITEBACK_ENABLED, then boucle serve or boucle sync --writeback)');
  for (const [object, t] of objects)
    lines.push(
      `  ${object.padEnd(24)} ${String(t.written).padStart(6)} written  ${String(t.pending).padStart(5)} pending  ${String(t.dead).padStart(4)} dead`,
    );
  if (report.recent.length > 0) {
    lines.push('', 'Latest records');
    for (const r of report.recent)
      lines.push(
        `  ${r.writtenAt ?? ''}  ${r.object.padEnd(22)} ${(r.salesforceId ?? '').padEnd(18)}  ${r.summary}`,
      );
  }
  if (report.deadLetters.length > 0) {
    lines.push('', 'Dead letters (fix the cause, then boucle sync --writeback --retry-dead)');
    for (const d of report.deadLetters) lines.push(`  ${d.object} ${d.externalId}: ${d.error ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}
