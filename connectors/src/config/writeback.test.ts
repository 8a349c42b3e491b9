import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDotEnv } from './config.ts';
import { writebackSection } from './writeback.ts';

const root = join(import.meta.dirname, '..', '..', '..');

describe('write-back configuration', () => {
  it('.env.example lists every WRITEBACK_ key, and its values parse', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    for (const key of Object.keys(writebackSection.keys)) expect(example, key).toContain(key);
    const env = parseDotEnv(example);
    const { writeback } = loadConfig({ writeback: writebackSection }, env);
    expect(writeback.enabled).toBe(false);
    expect([...writeback.kinds]).toEqual(['feedback', 'intervention', 'rollup', 'task']);
    expect(writeback.retryBaseMs).toBe(60_000);
    expect(writeback.limitPauseMs).toBe(3_600_000);
  });

  it('lists every bad key at once and says what to fix', () => {
    let error: unknown;
    try {
      loadConfig(
        { writeback: writebackSection },
        {
          WRITEBACK_KINDS: 'feedback,calls',
          WRITEBACK_BATCH_SIZE: '500',
          WRITEBACK_OMIT_FIELDS: 'Comment__c',
          WRITEBACK_TASK_TIERS: 'diamond',
          WRITEBACK_TICKET_URL: 'https://z.example/agent/tickets',
        },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.key).sort();
    expect(keys).toEqual([
      'WRITEBACK_BATCH_SIZE',
      'WRITEBACK_KINDS',
      'WRITEBACK_OMIT_FIELDS',
      'WRITEBACK_TASK_TIERS',
      'WRITEBACK_TICKET_URL',
    ]);
    expect((error as ConfigError).message).toMatch(/unknown kind calls/);
  });
});
