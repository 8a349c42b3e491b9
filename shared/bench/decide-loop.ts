/**
 * The decision alone in a loop, for profilers: `node --cpu-prof shared/bench/decide-loop.ts [rounds] [traces]`,
 * or under `valgrind --tool=callgrind`, whose instruction counts repeat on a busy machine. Run it with two
 * round counts and divide the difference by the extra decisions to get instructions per decision, start-up
 * and compilation left out (docs/decision-model.md §11).
 */
import { createDecider, parseSettings } from '../src/index.ts';
import { BENCH_NOW, BENCH_RULES, makeBenchInputs } from './bench-data.ts';

const rounds = Number(process.argv[2] ?? 50);
const traces = process.argv[3] === 'traces';
const parsed = parseSettings({ rules: BENCH_RULES });
if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
const decider = createDecider(parsed.data);
const inputs = makeBenchInputs(2_000);
let sink = 0;
for (let round = 0; round < rounds; round += 1) {
  for (const input of inputs) {
    const decision = decider.decide(input, BENCH_NOW);
    sink += traces ? decision.explanation.rules.length : decision.tags.length;
  }
}
console.log(`${rounds * inputs.length} decisions (${sink})`);
