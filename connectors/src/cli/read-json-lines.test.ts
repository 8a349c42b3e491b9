import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from './read-json-lines.ts';

async function lines(chunks: readonly (string | Buffer)[]): Promise<{ line: number; text: string }[]> {
  const read = [];
  for await (const line of readJsonLines(Readable.from(chunks))) read.push(line);
  return read;
}

describe('readJsonLines', () => {
  it('ends records at \\n only: U+2028, U+2029 and a lone \\r stay inside the record', async () => {
    const first = '{"note":"a\u2028b\u2029c"}';
    const second = '{"a":1,\r"b":2}';
    const read = await lines([`${first}\n${second}\r\n{"c":3}`]);
    expect(read).toEqual([
      { line: 1, text: first },
      { line: 2, text: second },
      { line: 3, text: '{"c":3}' },
    ]);
    for (const { text } of read) expect(() => JSON.parse(text) as unknown).not.toThrow();
  });

  it('joins records and multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('{"name":"Hélène"}\n{"x":1}\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "é"
    const read = await lines([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(read.map((line) => line.text)).toEqual(['{"name":"Hélène"}', '{"x":1}']);
  });

  it('counts blank lines, so that later line numbers stay true', async () => {
    const read = await lines(['\n\n{"x":1}\n']);
    expect(read).toEqual([
      { line: 1, text: '' },
      { line: 2, text: '' },
      { line: 3, text: '{"x":1}' },
    ]);
  });
});
