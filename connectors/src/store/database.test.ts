import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type FeatureSchema } from './database.ts';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'boucle-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'boucle.sqlite');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const alpha: FeatureSchema = {
  feature: 'alpha',
  migrations: [{ version: 1, description: 'items', up: 'CREATE TABLE alpha_item (id TEXT PRIMARY KEY)' }],
};

describe('openStore', () => {
  it('applies each feature’s migrations once, in the same file, and adds new versions later', () => {
    const path = tempDb();
    const beta: FeatureSchema = {
      feature: 'beta',
      migrations: [{ version: 1, description: 'b', up: 'CREATE TABLE beta_x (n INTEGER)' }],
    };
    const first = openStore(path, [alpha, beta]);
    first.db.prepare('INSERT INTO alpha_item VALUES (?)').run('a');
    first.close();

    const alpha2: FeatureSchema = {
      feature: 'alpha',
      migrations: [
        ...alpha.migrations,
        {
          version: 2,
          description: 'flag',
          up: (db) => db.exec('ALTER TABLE alpha_item ADD COLUMN flag INTEGER'),
        },
      ],
    };
    const second = openStore(path, [alpha2, beta]);
    expect(second.db.prepare('SELECT id, flag FROM alpha_item').all()).toEqual([{ id: 'a', flag: null }]);
    const versions = second.db.prepare('SELECT feature, version FROM schema_migrations ORDER BY 1, 2').all();
    expect(versions).toEqual([
      { feature: 'alpha', version: 1 },
      { feature: 'alpha', version: 2 },
      { feature: 'beta', version: 1 },
    ]);
    second.close();
  });

  it('refuses a database from a newer program and misnumbered migrations', () => {
    const path = tempDb();
    openStore(path, [
      {
        feature: 'alpha',
        migrations: [...alpha.migrations, { version: 2, description: 'x', up: 'SELECT 1' }],
      },
    ]).close();
    expect(() => openStore(path, [alpha])).toThrow(/newer than this program knows/);
    expect(() =>
      openStore(path, [{ feature: 'gamma', migrations: [{ version: 2, description: 'x', up: 'SELECT 1' }] }]),
    ).toThrow(/numbered 1, 2, 3/);
  });

  it('rolls a failed transaction back and keeps what was committed', () => {
    const store = openStore(tempDb(), [alpha]);
    store.transaction(() => store.db.prepare('INSERT INTO alpha_item VALUES (?)').run('kept'));
    expect(() =>
      store.transaction(() => {
        store.db.prepare('INSERT INTO alpha_item VALUES (?)').run('lost');
        store.transaction(() => store.db.prepare('INSERT INTO alpha_item VALUES (?)').run('kept'));
      }),
    ).toThrow();
    expect(store.db.prepare('SELECT id FROM alpha_item').all()).toEqual([{ id: 'kept' }]);
    store.close();
  });
});
