import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeatureSchema } from './database.ts';
import { FEATURE_SCHEMAS } from './feature-registry.ts';

const SRC = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the feature registry', () => {
  it('lists every FeatureSchema the connector declares, once each', async () => {
    const declared: { where: string; schema: FeatureSchema }[] = [];
    for (const file of sourceFiles(SRC)) {
      const names = [...readFileSync(file, 'utf8').matchAll(/export const (\w+): FeatureSchema\b/g)].map(
        (match) => match[1]!,
      );
      if (names.length === 0) continue;
      const module = (await import(file)) as Record<string, FeatureSchema>;
      for (const name of names)
        declared.push({ where: `${relative(SRC, file)} ${name}`, schema: module[name]! });
    }
    // The scan must see the features it is about (a broken pattern would find none and pass).
    expect(declared.length).toBeGreaterThanOrEqual(9);
    const missing = declared.filter(({ schema }) => !FEATURE_SCHEMAS.includes(schema)).map((d) => d.where);
    expect(missing).toEqual([]);
    const features = FEATURE_SCHEMAS.map((schema) => schema.feature);
    expect(new Set(features).size).toBe(features.length);
  });
});
