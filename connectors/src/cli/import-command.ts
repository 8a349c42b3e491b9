import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatImportReport, importFeedbackCsv } from '../feedback/import-feedback-csv.ts';
import { loadStoreConfig } from './automation-config.ts';
import { openCommandQueue } from './open-queue.ts';
import type { CliIo } from './cli-io.ts';

const HELP = `Usage: boucle import FILE.csv [--env-file FILE]

Queues the survey answers of a CSV export (NPS, CSAT, CES, company effort) for \`boucle serve\`: comma or
semicolon separators, UTF-8 BOM, French decimal commas and dd/mm/yyyy dates. Valid rows are kept; rejected rows
are listed with their line numbers. Rows already imported are recognised as duplicates.
Columns: kind, score, scale, responded_at, email | user_id | ticket_id, and optionally id, comment, channel,
touchpoint, interaction_id (French headers type, note, date, courriel, commentaire, ticket also work).
Exit code: 0 all rows queued, 1 some rows rejected (the others were queued), 2 usage or configuration error.`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr.write(`boucle import: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (parsed.values.help === true) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const file = parsed.positionals[0];
  if (file === undefined || parsed.positionals.length > 1) {
    io.stderr.write(`boucle import: name one CSV file.\n\n${HELP}\n`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    io.stderr.write(`boucle import: cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const config = loadStoreConfig('import', io, parsed.values['env-file']);
  if (config === null) return 2;
  const opened = await openCommandQueue('import', config.store, io);
  if (opened === null) return 2;
  try {
    const report = await importFeedbackCsv(text, opened.queue);
    io.stdout.write(formatImportReport(report, file));
    return report.rejected.length > 0 ? 1 : 0;
  } finally {
    await opened.close();
  }
}
