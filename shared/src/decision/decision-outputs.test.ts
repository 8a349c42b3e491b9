import { describe, expect, it } from 'vitest';
import { BENCH_NOW, BENCH_RULES, makeBenchInputs } from '../../bench/bench-data.ts';
import { renderExplanation } from '../explain/render-explanation.ts';
import { DEFAULT_SETTINGS, parseSettings } from '../settings/parse-settings.ts';
import type { Settings } from '../settings/settings-schema.ts';
import { createDecider } from './create-decider.ts';

/**
 * Pins every output of the decision on seeded inputs (the bench's incidents, with its 24 rules and with none):
 * the decision as JSON (rule traces included) and its rendered explanation in English and French. Written
 * before the hot path was optimised (issue 18), so an optimisation that changes any output byte fails here.
 * A deliberate change of behaviour regenerates the pins with `npx vitest run -u shared/src/decision`.
 */

/** FNV-1a, 32 bits: a short, stable fingerprint of one output. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function benchSettings(): Settings {
  const parsed = parseSettings({ rules: BENCH_RULES });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}

function pins(settings: Settings, count: number, seed: number): string[] {
  const decider = createDecider(settings);
  return makeBenchInputs(count, seed).map((input, index) => {
    // Half the decisions take the time from the caller as ms, half as ISO text; every third line brings its own.
    const now = index % 2 === 0 ? BENCH_NOW : Date.parse(BENCH_NOW) + index * 60_000;
    const line = index % 3 === 0 ? { ...input, now: '2026-11-23T08:30:00.000Z' } : input;
    const decision = decider.decide(line, now);
    const text = JSON.stringify([
      decision,
      renderExplanation(decision, 'en'),
      renderExplanation(decision, 'fr'),
    ]);
    return fingerprint(text);
  });
}

describe('decision outputs on seeded inputs (pinned)', () => {
  it('are byte for byte those pinned, with the bench rules and without rules', async () => {
    const withRules = pins(benchSettings(), 1_000, 42);
    const withoutRules = pins(DEFAULT_SETTINGS, 400, 7);
    // The pins differ from one another: the inputs exercise many different decisions.
    expect(new Set(withRules).size).toBeGreaterThan(900);
    await expect(
      `${JSON.stringify({ withRules, withoutRules }, null, 0).replaceAll(',', ',\n')}\n`,
    ).toMatchFileSnapshot('./__pins__/decision-outputs.txt');
  }, 60_000);

  it('include a full decision, readable', async () => {
    const [input] = makeBenchInputs(1, 42);
    const decision = createDecider(benchSettings()).decide(input!, BENCH_NOW);
    await expect(`${JSON.stringify(decision, null, 2)}\n`).toMatchFileSnapshot(
      './__pins__/first-bench-decision.json',
    );
  }, 60_000);
});
