import { describe, expect, it } from 'vitest';
import { parseCsv, parseExportDate, parseLocaleNumber } from './parse-csv.ts';

describe('parseCsv', () => {
  it('reads a French export: BOM, semicolons, CRLF, quoted cells with separators and line breaks', () => {
    const text =
      '\uFEFFKind;Score;Comment\r\nnps;3;"encore ; toujours pas"\r\ncsat;4,5;"ligne 1\nligne 2"\r\nces;6;"dit ""attente"""\r\n';
    const parsed = parseCsv(text);
    expect(parsed.separator).toBe(';');
    expect(parsed.headers).toEqual(['kind', 'score', 'comment']);
    expect(parsed.rows).toEqual([
      { line: 2, cells: { kind: 'nps', score: '3', comment: 'encore ; toujours pas' } },
      { line: 3, cells: { kind: 'csat', score: '4,5', comment: 'ligne 1\nligne 2' } },
      { line: 5, cells: { kind: 'ces', score: '6', comment: 'dit "attente"' } },
    ]);
    expect(parsed.problems).toEqual([]);
  });

  it('reads commas and reports broken rows by line while keeping the others', () => {
    const text = 'kind,score\nnps,9\nnps,1,extra\n\nnps,"4\nces,2';
    const parsed = parseCsv(text);
    expect(parsed.separator).toBe(',');
    expect(parsed.rows).toEqual([{ line: 2, cells: { kind: 'nps', score: '9' } }]);
    expect(parsed.problems).toEqual([
      { line: 3, message: 'has 3 cells, the header has 2 (separator ",").' },
      { line: 5, message: 'opens a quote that is never closed.' },
    ]);
  });

  it('counts line breaks inside quotes the way it ends records (CR, LF or CRLF), so later line numbers stay true', () => {
    const text = 'kind,comment\rnps,"one\rtwo"\rnps,"a\r\nb"\rnps,x,extra\r';
    const parsed = parseCsv(text);
    expect(parsed.rows.map((row) => row.line)).toEqual([2, 4]);
    expect(parsed.problems).toEqual([{ line: 6, message: 'has 3 cells, the header has 2 (separator ",").' }]);
  });

  it('keeps U+2028 inside a cell: it is not a line break in CSV', () => {
    const parsed = parseCsv('kind,comment\nnps,a\u2028b\nces,c\n');
    expect(parsed.rows).toEqual([
      { line: 2, cells: { kind: 'nps', comment: 'a\u2028b' } },
      { line: 3, cells: { kind: 'ces', comment: 'c' } },
    ]);
  });

  it('says when there is no header', () => {
    expect(parseCsv('').problems).toEqual([{ line: 1, message: 'The file has no header line.' }]);
  });
});

describe('parseLocaleNumber', () => {
  it.each([
    ['4,5', 4.5],
    ['4.5', 4.5],
    [' 7 ', 7],
    ['1 234,5', 1234.5],
    ['-2', -2],
    ['abc', null],
    ['4,5,6', null],
    ['', null],
  ] as const)('%s → %s', (raw, expected) => {
    expect(parseLocaleNumber(raw)).toBe(expected);
  });
});

describe('parseExportDate', () => {
  it.each([
    ['03/11/2026', '2026-11-03T00:00:00.000Z'],
    ['3/11/2026 14:05', '2026-11-03T14:05:00.000Z'],
    ['03.11.2026 9h30', '2026-11-03T09:30:00.000Z'],
    ['2026-11-03', '2026-11-03T00:00:00.000Z'],
    ['2026-11-03T14:05:00+01:00', '2026-11-03T13:05:00.000Z'],
    ['2026-11-03 14:05:06', '2026-11-03T14:05:06.000Z'],
  ])('%s → %s', (raw, iso) => {
    expect(parseExportDate(raw)?.toISOString()).toBe(iso);
  });

  it.each(['31/02/2026', '11/31/2026', '2026-13-01', 'hier', '03/11/26'])('refuses %s', (raw) => {
    expect(parseExportDate(raw)).toBeNull();
  });
});
