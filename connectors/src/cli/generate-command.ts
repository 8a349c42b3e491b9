/** `boucle generate`: writes the seeded dataset for both emulators; `--report` prints realised vs target figures. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateWorld } from '../../../sandbox/dataset/generate-world.ts';
import { computeReport, formatReport } from '../../../sandbox/dataset/report.ts';
import { writeDataset } from '../../../sandbox/dataset/write-data.ts';
import type { CliIo } from './cli-io.ts';
import { wholeNumber } from './read-command-line.ts';

const HELP = `Usage: boucle generate [--seed N] [--accounts N] [--out DIR] [--report] [--no-write]

Generates a seeded, reproducible world (Salesforce accounts, contacts, opportunities, orders; Zendesk
organisations, users, tickets, survey answers, CSAT ratings; incidents) and writes:
  DIR/salesforce/*.json   for boucle emulate salesforce --data DIR/salesforce
  DIR/zendesk/*.json      for boucle emulate zendesk --data DIR/zendesk
  DIR/ground-truth.json   hidden truth, read by the simulator only

  --seed N       seed (default 42)
  --accounts N   number of accounts (default 1000, at least 500 for the calibrated figures)
  --out DIR      output folder (default data/dataset)
  --report       print each realised figure beside its target (DOMAIN.md §3)
  --no-write     do not write files (with --report: the report only)
`;

function generate(args: readonly string[], io: CliIo): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        seed: { type: 'string' },
        accounts: { type: 'string' },
        out: { type: 'string' },
        report: { type: 'boolean', default: false },
        'no-write': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`boucle generate: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let seed: number;
  let accounts: number;
  try {
    seed = wholeNumber('seed', values.seed, 42, 0);
    accounts = wholeNumber('accounts', values.accounts, 1000, 1);
  } catch (error) {
    io.stderr.write(`boucle generate: ${(error as Error).message}\n`);
    return 2;
  }
  const world = generateWorld({ seed, accounts });
  if (!values['no-write']) {
    const out = resolve(io.cwd, values.out ?? 'data/dataset');
    const written = writeDataset(world, out);
    io.stdout.write(
      `Wrote ${world.accounts.length} accounts, ${world.contacts.length} contacts, ${world.tickets.length} tickets, ` +
        `${world.answers.length} survey answers, ${world.incidents.length} incidents (seed ${seed}):\n` +
        `  ${written.salesforceDir}\n  ${written.zendeskDir}\n  ${written.groundTruthFile}\n`,
    );
  }
  if (values.report)
    io.stdout.write(`${values['no-write'] ? '' : '\n'}${formatReport(world, computeReport(world))}`);
  return 0;
}

export function run(args: readonly string[], io: CliIo): Promise<number> {
  return Promise.resolve(generate(args, io));
}
