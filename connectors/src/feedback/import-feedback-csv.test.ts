import { describe, expect, it } from 'vitest';
import { DurableQueue } from '../queue/durable-queue.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { openStore } from '../store/index.ts';
import { formatImportReport, importFeedbackCsv } from './import-feedback-csv.ts';
import type { FeedbackEventPayload } from './to-feedback-event.ts';

const FRENCH_EXPORT = [
  '\uFEFFid;type;note;échelle;date;courriel;ticket;commentaire',
  'r1;nps;3;;03/11/2026 14:05;Marie@Example.fr;;"toujours pas ; troisième fois"',
  'r2;csat;4,5;1-5;04/11/2026;paul@example.fr;12;',
  'r3;csat;2;1-5;31/02/2026;paul@example.fr;12;date impossible',
  'r4;ces;9;;05/11/2026;paul@example.fr;;hors échelle',
  'r5;nps;7;;05/11/2026;;;personne',
  'r6;ces;5;;05/11/2026;jean@example.fr;14',
  'r7;company_effort;2;;05/11/2026;jean@example.fr;14;',
  'r8;csat;bad;;2026-11-06T08:00:00Z;jean@example.fr;14;',
].join('\r\n');

function makeQueue() {
  return new DurableQueue(openStore(':memory:', [QUEUE_SCHEMA]).db, {
    clock: () => new Date('2026-11-22T10:00:00Z'),
  });
}

describe('importFeedbackCsv', () => {
  it('keeps valid rows of a French export and reports the broken ones by line', async () => {
    const queue = makeQueue();
    const report = await importFeedbackCsv(FRENCH_EXPORT, queue);
    expect(report).toMatchObject({ rows: 8, accepted: 3, duplicates: 0, separator: ';' });
    expect(report.rejected.map((row) => row.line)).toEqual([3, 4, 5, 6, 7]);
    const byLine = Object.fromEntries(report.rejected.map((row) => [row.line, row.problems.join(' | ')]));
    expect(byLine[3]).toBe('score: 4.5 is not a whole number; survey scores are whole points.');
    expect(byLine[4]).toContain('respondedAt: "31/02/2026" is not a date');
    expect(byLine[5]).toMatch(/^score: /);
    expect(byLine[5]).not.toContain('Say who');
    expect(byLine[6]).toContain('Say who answered');
    expect(byLine[7]).toContain('has 7 cells, the header has 8');

    const first = queue.get(1)!;
    const payload = first.payload as FeedbackEventPayload;
    expect(payload).toEqual({
      source: 'csv_import',
      email: 'marie@example.fr',
      response: {
        id: 'csv_import:r1',
        kind: 'nps',
        scale: '0-10',
        score: 3,
        respondedAt: '2026-11-03T14:05:00.000Z',
        comment: 'toujours pas ; troisième fois',
      },
    });
    expect(first.groupKey).toBe('customer:marie@example.fr');
    expect(queue.get(3)?.payload).toMatchObject({
      ticketId: 14,
      response: { kind: 'csat', scale: 'good_bad', score: 'bad' },
    });

    const text = formatImportReport(report, 'export.csv');
    expect(text).toContain('export.csv: 8 row(s), separator ";": 3 queued, 0 already imported, 5 rejected.');
    expect(text).toContain('  line 4: respondedAt');
  });

  it('recognises a re-import as duplicates, with or without ids', async () => {
    const queue = makeQueue();
    const noIds =
      'kind,score,responded_at,email\nnps,2,2026-11-03,a@example.com\nnps,10,2026-11-03,b@example.com\n';
    expect(await importFeedbackCsv(noIds, queue)).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await importFeedbackCsv(noIds, queue)).toMatchObject({ accepted: 0, duplicates: 2, rejected: [] });
    expect(await importFeedbackCsv(FRENCH_EXPORT, queue)).toMatchObject({ accepted: 3 });
    expect(await importFeedbackCsv(FRENCH_EXPORT, queue)).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(queue.depth()).toBe(5);
  });
});
