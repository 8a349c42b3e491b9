import type { EventQueue } from '../queue/durable-queue.ts';
import { parseCsv } from './parse-csv.ts';
import { toFeedbackEvent } from './to-feedback-event.ts';

export interface RejectedRow {
  readonly line: number;
  readonly problems: readonly string[];
}

export interface ImportReport {
  readonly rows: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly RejectedRow[];
  readonly separator: ',' | ';';
}

/**
 * Imports a survey export: every valid row is queued (committed) as a feedback event, duplicates of rows
 * already imported are recognised, and each rejected row is reported with its line number and what to fix.
 */
export async function importFeedbackCsv(
  text: string,
  queue: Pick<EventQueue, 'enqueue'>,
): Promise<ImportReport> {
  const parsed = parseCsv(text);
  const rejected: RejectedRow[] = parsed.problems.map((problem) => ({
    line: problem.line,
    problems: [problem.message],
  }));
  const events = [];
  for (const row of parsed.rows) {
    const result = toFeedbackEvent(row.cells, 'csv_import');
    if (result.ok) events.push(result.event);
    else
      rejected.push({
        line: row.line,
        problems: result.issues.map((issue) => `${issue.path}: ${issue.message}`),
      });
  }
  const outcomes = await Promise.all(events.map((event) => queue.enqueue(event)));
  rejected.sort((a, b) => a.line - b.line);
  return {
    rows: parsed.rows.length + parsed.problems.filter((problem) => problem.line > 1).length,
    accepted: outcomes.filter((outcome) => outcome.outcome === 'accepted').length,
    duplicates: outcomes.filter((outcome) => outcome.outcome !== 'accepted').length,
    rejected,
    separator: parsed.separator,
  };
}

/** The report as the CLI prints it. */
export function formatImportReport(report: ImportReport, file: string): string {
  const lines = [
    `${file}: ${report.rows} row(s), separator "${report.separator}": ${report.accepted} queued, ${report.duplicates} already imported, ${report.rejected.length} rejected.`,
  ];
  for (const row of report.rejected) lines.push(`  line ${row.line}: ${row.problems.join('; ')}`);
  return `${lines.join('\n')}\n`;
}
