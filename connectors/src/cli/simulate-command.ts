/** `boucle simulate`: replays the generated incidents under several policies; prints a table, writes the SVG chart. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateWorld } from '../../../sandbox/dataset/generate-world.ts';
import { formatTable, renderChart } from '../simulate/render.ts';
import { simulatePolicies } from '../simulate/simulate.ts';
import type { CliIo } from './cli-io.ts';
import { wholeNumber } from './read-command-line.ts';

const HELP = `Usage: boucle simulate [--seed N] [--accounts N] [--runs N] [--outcome-seed N] [--capacity MIN] [--chart FILE] [--json]

Replays the incidents of the generated world (same --seed/--accounts as boucle generate) under six policies:
Boucle's, callback every detractor, apology to all, compensation to all, CES only, nothing. The customers'
reactions are played by the outcome model (docs/simulator.md), not by Boucle's own churn model.

  --seed N          world seed (default 42)
  --accounts N      accounts in the world (default 1000)
  --runs N          outcome draws for the intervals (default 200)
  --outcome-seed N  seed of the outcome draws (default 1)
  --capacity MIN    agent-minutes per day for callbacks on this portfolio (default 40)
  --chart FILE      where to write the SVG chart (default docs/simulator.svg; "-" for none)
  --json            print the results as JSON instead of the table
`;

function simulate(args: readonly string[], io: CliIo): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        seed: { type: 'string' },
        accounts: { type: 'string' },
        runs: { type: 'string' },
        'outcome-seed': { type: 'string' },
        capacity: { type: 'string' },
        chart: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`boucle simulate: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let seed: number;
  let accounts: number;
  let runs: number;
  let outcomeSeed: number;
  let capacity: number;
  try {
    seed = wholeNumber('seed', values.seed, 42, 0);
    accounts = wholeNumber('accounts', values.accounts, 1000, 1);
    runs = wholeNumber('runs', values.runs, 200, 1);
    outcomeSeed = wholeNumber('outcome-seed', values['outcome-seed'], 1, 0);
    capacity = wholeNumber('capacity', values.capacity, 40, 0);
  } catch (error) {
    io.stderr.write(`boucle simulate: ${(error as Error).message}\n`);
    return 2;
  }
  const world = generateWorld({ seed, accounts });
  const sim = simulatePolicies(world, { runs, seed: outcomeSeed, capacityMinutesPerDay: capacity });
  const chart = values.chart ?? 'docs/simulator.svg';
  let written: string | null = null;
  if (chart !== '-') {
    written = resolve(io.cwd, chart);
    mkdirSync(dirname(written), { recursive: true });
    writeFileSync(written, renderChart(sim));
  }
  if (values.json) io.stdout.write(`${JSON.stringify(sim, null, 2)}\n`);
  else io.stdout.write(`${formatTable(sim)}${written === null ? '' : `Chart written to ${written}\n`}`);
  return 0;
}

export function run(args: readonly string[], io: CliIo): Promise<number> {
  return Promise.resolve(simulate(args, io));
}
