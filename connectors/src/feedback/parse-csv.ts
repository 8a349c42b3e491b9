/** One data row of a CSV file: its cells by header name and the line it starts on (the header is line 1). */
export interface CsvRow {
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
}

export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedCsv {
  readonly separator: ',' | ';';
  readonly headers: readonly string[];
  readonly rows: readonly CsvRow[];
  /** Rows that could not even be split into cells (wrong cell count, unclosed quote). */
  readonly problems: readonly CsvProblem[];
}

/**
 * Parses CSV text as spreadsheets export it: comma or semicolon separator (guessed from the header line),
 * optional UTF-8 BOM, CRLF or LF, double-quoted cells with `""` escapes and line breaks inside quotes.
 * Header names are trimmed and lower-cased. Blank lines are skipped.
 */
export function parseCsv(text: string): ParsedCsv {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const separator = guessSeparator(source);
  const records = splitRecords(source, separator);
  const header = records.shift();
  if (header === undefined || header.cells.every((cell) => cell.trim() === '')) {
    return {
      separator,
      headers: [],
      rows: [],
      problems: [{ line: 1, message: 'The file has no header line.' }],
    };
  }
  const headers = header.cells.map((cell) => cell.trim().toLowerCase());
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  if (header.error !== undefined) problems.push({ line: header.line, message: header.error });
  for (const record of records) {
    if (record.cells.length === 1 && record.cells[0]!.trim() === '') continue;
    if (record.error !== undefined) {
      problems.push({ line: record.line, message: record.error });
      continue;
    }
    if (record.cells.length !== headers.length) {
      problems.push({
        line: record.line,
        message: `has ${record.cells.length} cells, the header has ${headers.length} (separator "${separator}").`,
      });
      continue;
    }
    const cells: Record<string, string> = {};
    headers.forEach((name, index) => (cells[name] = record.cells[index]!.trim()));
    rows.push({ line: record.line, cells });
  }
  return { separator, headers, rows, problems };
}

function guessSeparator(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ',') commas += 1;
    else if (!quoted && char === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

interface RawRecord {
  line: number;
  cells: string[];
  error?: string;
}

function splitRecords(text: string, separator: string): RawRecord[] {
  const records: RawRecord[] = [];
  let line = 1;
  let current: RawRecord = { line, cells: [] };
  let cell = '';
  let quoted = false;
  let afterQuote = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          cell += '"';
          index += 1;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        // A line ends at LF, CRLF or a lone CR inside quotes too, as it does between records.
        if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell.trim() === '' && !afterQuote) {
      quoted = true;
      cell = '';
    } else if (char === separator) {
      current.cells.push(cell);
      cell = '';
      afterQuote = false;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      current.cells.push(cell);
      records.push(current);
      line += 1;
      current = { line, cells: [] };
      cell = '';
      afterQuote = false;
    } else if (afterQuote && char.trim() !== '') {
      current.error ??= 'has text after a closing quote; double the quote ("") to put one inside a cell.';
      cell += char;
    } else {
      cell += char;
    }
  }
  if (quoted) current.error = 'opens a quote that is never closed.';
  if (cell !== '' || current.cells.length > 0 || quoted) {
    current.cells.push(cell);
    records.push(current);
  }
  return records;
}

/** `4,5` (French), `4.5`, `1 234,5` → number; anything else → null. */
export function parseLocaleNumber(raw: string): number | null {
  const compact = raw.replace(/[\s\u00A0\u202F]/g, '');
  if (!/^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/.test(compact)) return null;
  return Number(compact.replace(',', '.'));
}

/**
 * Dates as exports write them: ISO 8601 (`2026-11-03`, `2026-11-03T14:05:00Z`), or day first
 * (`03/11/2026`, `3/11/2026 14:05`, `03-11-2026`, `03.11.2026`). Without an offset, the time is read in UTC.
 */
export function parseExportDate(raw: string): Date | null {
  const value = raw.trim();
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (iso !== null) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = iso;
    return checked(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone}`, Number(y), Number(mo), Number(d));
  }
  const dayFirst = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(
    value,
  );
  if (dayFirst !== null) {
    const [, d = '', mo = '', y = '', h = '0', mi = '00', s = '00'] = dayFirst;
    const pad = (part: string) => part.padStart(2, '0');
    return checked(`${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${mi}:${s}Z`, Number(y), Number(mo), Number(d));
  }
  return null;
}

/** Rejects dates JavaScript would roll over (31/02 → 03/03). */
function checked(iso: string, year: number, month: number, day: number): Date | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    return null;
  return date;
}
