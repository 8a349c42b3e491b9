import { readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import {
  createDecider,
  decisionInputSchema,
  formatIssuePath,
  parseSettings,
  renderExplanation,
  timestampSchema,
} from '../../../shared/src/index.ts';
import type { Locale } from '../../../shared/src/index.ts';
import type { CliIo } from './cli-io.ts';
import { readCommandLine } from './read-command-line.ts';
import { readJsonLines } from './read-json-lines.ts';

const HELP = `Usage: boucle decide [FILE] [--settings FILE] [--now ISO] [--text en|fr]
       boucle decide --schema

Reads one incident per line (JSON Lines: records end at \\n, from FILE or stdin) and writes one decision per line on stdout.
A bad line gets an error record on stderr (its line number and what to fix); the other lines are still decided.

  --settings FILE  Boucle settings as JSON: nested, or the flat Zendesk app parameters (all optional)
  --now ISO        decision time for lines without "now" (default: the incident's openedAt), so that
                   the same input always gives the same output
  --text en|fr     add "explanationText" (headline, details, rules) in that language
  --schema         print the JSON Schema of an input line and exit

Exit code: 0 all lines decided, 1 some lines rejected, 2 bad usage or settings.`;

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((done) => stream.once('drain', done));
}

/** Issues as `path: message` pairs an operator can act on (paths as `feedback[0].score`). */
function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: formatIssuePath(issue.path) || '(line)',
    message: issue.message,
  }));
}

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const read = readCommandLine(
    'decide',
    args,
    {
      settings: { type: 'string' },
      now: { type: 'string' },
      text: { type: 'string' },
      schema: { type: 'boolean' },
    },
    HELP,
    io,
  );
  if (read.line === undefined) return read.exitCode;
  const { values, positionals } = read.line;
  if (values.schema === true) {
    const schema = z.toJSONSchema(decisionInputSchema, { io: 'input', unrepresentable: 'any' });
    io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    io.stderr.write(`boucle decide: give at most one input file.\n\n${HELP}\n`);
    return 2;
  }
  if (values.now !== undefined && !timestampSchema.safeParse(values.now).success) {
    io.stderr.write(`boucle decide: --now must be an ISO 8601 instant, e.g. 2026-11-22T10:00:00Z.\n`);
    return 2;
  }
  if (values.text !== undefined && values.text !== 'en' && values.text !== 'fr') {
    io.stderr.write(`boucle decide: --text takes "en" or "fr".\n`);
    return 2;
  }
  const locale: Locale | undefined = values.text;

  let rawSettings: unknown = {};
  if (values.settings !== undefined) {
    const path = resolve(io.cwd, values.settings);
    try {
      rawSettings = JSON.parse(await readFile(path, 'utf8')) as unknown;
    } catch (error) {
      io.stderr.write(`boucle decide: cannot read the settings in ${path}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const settings = parseSettings(rawSettings);
  if (!settings.success) {
    io.stderr.write('boucle decide: the settings are not valid; fix these and run again:\n');
    for (const issue of settings.issues) {
      io.stderr.write(`  - ${issue.path || '(settings)'}: ${issue.message.en}\n`);
    }
    return 2;
  }
  const decider = createDecider(settings.data);

  let input: Readable = io.stdin;
  if (positionals[0] !== undefined) {
    const path = resolve(io.cwd, positionals[0]);
    input = createReadStream(path);
    const opened = await new Promise<Error | null>((done) => {
      input.once('open', () => done(null));
      input.once('error', done);
    });
    if (opened !== null) {
      io.stderr.write(`boucle decide: cannot read ${path}: ${opened.message}\n`);
      return 2;
    }
  }

  let lineNumber = 0;
  let rejected = 0;
  const reject = async (record: Record<string, unknown>) => {
    rejected += 1;
    await write(io.stderr, `${JSON.stringify({ line: lineNumber, ...record })}\n`);
  };
  for await (const { line: number, text } of readJsonLines(input)) {
    lineNumber = number;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      await reject({ error: 'INVALID_JSON', message: `Not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const line = decisionInputSchema.safeParse(json);
    if (!line.success) {
      const id = (json as { id?: unknown } | null)?.id;
      await reject({
        ...(typeof id === 'string' ? { id } : {}),
        error: 'INVALID_INPUT',
        message: 'The line does not match the input schema (boucle decide --schema); fix the paths below.',
        issues: describeIssues(line.error),
      });
      continue;
    }
    const decision = decider.decide(line.data, values.now ?? line.data.incident.openedAt);
    const output =
      locale === undefined
        ? decision
        : {
            ...decision,
            explanationText: renderExplanation(decision, locale, {
              compensationTiers: decider.settings.compensationTiers,
            }),
          };
    await write(io.stdout, `${JSON.stringify(output)}\n`);
  }
  return rejected === 0 ? 0 : 1;
}
