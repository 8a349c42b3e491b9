import type { Readable } from 'node:stream';

export interface JsonLine {
  /** 1 for the first line of the input. */
  readonly line: number;
  readonly text: string;
}

/**
 * The lines of a JSON Lines input: records end at `\n` only (a `\r` before it is dropped, for CRLF files).
 * Node's readline also ends lines at a lone `\r` and at U+2028 / U+2029, which JSON allows between tokens and
 * inside strings: a valid record would be cut in two and every later line number would be off.
 */
export async function* readJsonLines(input: Readable): AsyncGenerator<JsonLine> {
  input.setEncoding('utf8');
  let pending = '';
  let line = 0;
  const take = (text: string): JsonLine => {
    line += 1;
    return { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  };
  for await (const chunk of input as AsyncIterable<string>) {
    pending += chunk;
    let start = 0;
    let end = pending.indexOf('\n', start);
    while (end !== -1) {
      yield take(pending.slice(start, end));
      start = end + 1;
      end = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  if (pending !== '') yield take(pending);
}
